//! The report as JSON: the data behind the Markdown and HTML (`docs/report-json.md`).

use super::model::Report;

/// The report as pretty-printed JSON, ending in a newline.
///
/// serde_json escapes C0 controls; C1 controls, bidi overrides and isolates, zero-width
/// characters and BOMs are valid in JSON strings but act on the terminal or the page a chat
/// bridge prints them to, so they are written as `\uXXXX` escapes too. The values are
/// unchanged: any JSON reader gets back exactly the text that was typed.
pub fn render(report: &Report) -> String {
    let json = serde_json::to_string_pretty(report).expect("the report serialises");
    let mut out = escape_unsafe(&json);
    out.push('\n');
    out
}

/// Writes every character [`crate::sanitize::is_unsafe`] names (outside ASCII controls, which
/// serde_json has already escaped) as a `\uXXXX` escape. Outside strings, JSON text is ASCII,
/// so every such character is inside a string, where the escape means the same character.
pub fn escape_unsafe(json: &str) -> String {
    if !json
        .chars()
        .any(|c| !c.is_ascii() && crate::sanitize::is_unsafe(c))
    {
        return json.to_owned();
    }
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        if !c.is_ascii() && crate::sanitize::is_unsafe(c) {
            // Every such character is in the Basic Multilingual Plane: one escape each.
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_unsafe;

    #[test]
    fn unsafe_characters_are_escaped_and_read_back_the_same() {
        let value = serde_json::json!({"t": "a\u{202e}b\u{85}c\u{1b}d\u{feff}é🚨"});
        let text = escape_unsafe(&serde_json::to_string(&value).unwrap());
        assert_eq!(text, r#"{"t":"a\u202eb\u0085c\u001bd\ufeffé🚨"}"#);
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
