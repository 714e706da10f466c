//! Which written forms count the same thing: "customers" and "customer", "mieszkańców",
//! "mieszkańcy" and "mieszkańcom".
//!
//! Each noun gets a small set of keys; two nouns are the same when their sets share a key.
//! The keys are Snowball stems (the `snowstem` crate: Snowball's own English and Polish
//! algorithms), with a short documented supplement for Polish forms the Polish stemmer leaves
//! apart:
//!
//! 1. diacritics are folded after stemming (`osób`/`osoba` → `osob`; `ń` before a consonant
//!    and `ni` before a vowel are one sound);
//! 2. a word ending in a vowel is also stemmed without it (`lokale`/`lokali`: the stemmer
//!    takes `-ali` for a verb ending);
//! 3. the fleeting *e* of the nominative singular is dropped (`budynek`/`budynki`,
//!    `mieszkaniec`/`mieszkańcy`);
//! 4. a stem ending in *c* also stands for *k* and *t* (`pracownicy`/`pracowników`,
//!    `klienci`/`klientów`: the consonant alternates in the masculine personal plural);
//! 5. a few irregular nouns are listed whole (`osoba`/`osób`, `people`/`person`,
//!    `children`/`child`).
//!
//! Keys are compared only within a language; the same letters in English and Polish are
//! never taken for one noun by this module's caller.

use snowstem::{Algorithm, Stemmer};

use super::lexicon::Lang;

/// The keys a noun is known by; small (one to five entries).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Keys(pub Vec<String>);

impl Keys {
    /// Whether two nouns are the same noun.
    pub fn same(&self, other: &Keys) -> bool {
        self.0.iter().any(|k| other.0.contains(k))
    }

    /// The first key: a stable name for grouping and ids.
    pub fn primary(&self) -> &str {
        self.0.first().map_or("", String::as_str)
    }
}

/// The keys of one word (any case; apostrophes of possessives are ignored).
pub fn keys(word: &str, lang: Lang) -> Keys {
    let lower = word.to_lowercase();
    let w = lower
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .trim_end_matches(['\'', '’']);
    if let Some(lemma) = irregular(w) {
        return Keys(vec![lemma.to_owned()]);
    }
    match lang {
        Lang::En => {
            let stem = Stemmer::create(Algorithm::English).stem(w).into_owned();
            Keys(vec![fold(&stem)])
        }
        Lang::Pl => polish(w),
    }
}

fn polish(w: &str) -> Keys {
    let stemmer = Stemmer::create(Algorithm::Polish);
    let mut keys: Vec<String> = vec![fold(&stemmer.stem(w))];
    if let Some(last) = w.chars().last()
        && "aeiouyąęó".contains(last)
    {
        let shorter = &w[..w.len() - last.len_utf8()];
        if shorter.chars().count() >= 3 {
            push(&mut keys, fold(&stemmer.stem(shorter)));
        }
    }
    let mut more = Vec::new();
    for k in &keys {
        for (end, instead) in [("iec", "c"), ("ek", "k"), ("ec", "c")] {
            if let Some(base) = k.strip_suffix(end)
                && base.len() >= 3
            {
                more.push(format!("{base}{instead}"));
                break;
            }
        }
    }
    for k in more {
        push(&mut keys, k);
    }
    let mut alternates = Vec::new();
    for k in &keys {
        if let Some(base) = k.strip_suffix('c')
            && base.len() >= 3
        {
            alternates.push(format!("{base}k"));
            alternates.push(format!("{base}t"));
        }
    }
    for k in alternates {
        push(&mut keys, k);
    }
    Keys(keys)
}

fn push(keys: &mut Vec<String>, k: String) {
    if !k.is_empty() && !keys.contains(&k) {
        keys.push(k);
    }
}

/// Lower-case ASCII letters for comparison ("mieszkańc" → "mieszkanc").
fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_ascii_lowercase()
}

/// Nouns whose forms no stemmer joins.
fn irregular(w: &str) -> Option<&'static str> {
    Some(match w {
        "people" | "person" | "persons" => "person",
        "children" | "child" => "child",
        "men" | "man" => "man",
        "women" | "woman" => "woman",
        "osoba" | "osoby" | "osób" | "osobom" | "osobami" | "osobach" | "osobę" | "osobie" => {
            "osoba"
        }
        "ludzie" | "ludzi" | "ludźmi" | "ludziom" | "człowiek" | "człowieka" => "czlowiek",
        "dziecko" | "dzieci" | "dzieciom" | "dziećmi" | "dzieciach" | "dziecka" => "dziecko",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str, lang: Lang) -> bool {
        keys(a, lang).same(&keys(b, lang))
    }

    #[test]
    fn english_singular_and_plural_are_one_noun() {
        for (a, b) in [
            ("customers", "customer"),
            ("sites", "site"),
            ("records", "Record"),
            ("people", "person"),
            ("children", "child"),
            ("addresses", "address"),
            ("companies", "company"),
            ("customers'", "customer's"),
        ] {
            assert!(same(a, b, Lang::En), "{a} / {b}");
        }
        assert!(!same("customers", "sites", Lang::En));
        assert!(!same("employees", "emails", Lang::En));
    }

    #[test]
    fn polish_inflected_forms_are_one_noun() {
        for group in [
            &[
                "mieszkańców",
                "mieszkańcy",
                "mieszkańcom",
                "mieszkańcami",
                "mieszkaniec",
            ][..],
            &["klientów", "klienci", "klient", "klientom", "klientach"],
            &["osób", "osoby", "osobom", "osoba"],
            &["budynków", "budynki", "budynek", "budynku"],
            &["pracowników", "pracownicy", "pracownikom"],
            &["szpitali", "szpitale", "szpital"],
            &["lokali", "lokale", "lokalach"],
            &["placówek", "placówki", "placówkom"],
            &["szkół", "szkoły", "szkoła"],
            &["gospodarstw", "gospodarstwa", "gospodarstwom"],
            &["pacjentów", "pacjenci", "pacjent"],
        ] {
            for a in group {
                for b in group {
                    assert!(
                        same(a, b, Lang::Pl),
                        "{a} / {b}: {:?} {:?}",
                        keys(a, Lang::Pl),
                        keys(b, Lang::Pl)
                    );
                }
            }
        }
    }

    #[test]
    fn polish_nouns_that_only_look_alike_stay_apart() {
        // flats and residents; people and housing estates; schools and hospitals
        assert!(!same("mieszkań", "mieszkańców", Lang::Pl));
        assert!(!same("mieszkania", "mieszkańcy", Lang::Pl));
        assert!(!same("osób", "osiedli", Lang::Pl));
        assert!(!same("szkół", "szpitali", Lang::Pl));
        assert!(!same("klientów", "kont", Lang::Pl));
    }
}
