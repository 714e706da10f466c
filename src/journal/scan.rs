//! [`mentions`]: whether any journal file holds some bytes, without decoding a record.

use std::io::Read as _;
use std::path::Path;

use memchr::memmem::Finder;

use super::JournalError;
use super::reader::{list_dir, open_regular};

/// Whether any journal file of `journal_dir` (the files a reader reads) contains any of
/// `needles`, byte for byte, anywhere: in a record, a corrupt line or a torn tail.
///
/// Costs one pass over the bytes and no parsing, so a front end can ask "is there anything
/// here that would change my answer?" (an `incident_closed` entry, an entry id) and fold the
/// journal only if there is. A hit is only a hint (the bytes may sit in a damaged line, another
/// incident's entry or a note's text); no hit is exact.
pub fn mentions(journal_dir: &Path, needles: &[&[u8]]) -> Result<bool, JournalError> {
    let finders: Vec<Finder<'_>> = needles.iter().map(Finder::new).collect();
    let overlap = needles.iter().map(|n| n.len()).max().unwrap_or(0);
    let mut buf = vec![0u8; 1 << 20];
    for listed in list_dir(journal_dir)? {
        let io_err = |e| JournalError::io(&listed.path, e);
        let Some((mut file, _)) = open_regular(&listed.path).map_err(io_err)? else {
            continue;
        };
        // Each read keeps the last `overlap` bytes of the one before, so a needle cut in two
        // by a read boundary is still found.
        let mut kept = 0;
        loop {
            let n = match file.read(&mut buf[kept..]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_err(e)),
            };
            let filled = kept + n;
            if finders.iter().any(|f| f.find(&buf[..filled]).is_some()) {
                return Ok(true);
            }
            kept = overlap.min(filled);
            buf.copy_within(filled - kept..filled, 0);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_needles_across_read_boundaries_and_only_in_journal_files() {
        let tmp = tempfile::tempdir().unwrap();
        let mut big = vec![b'x'; (1 << 20) - 3];
        big.extend_from_slice(b"needle");
        std::fs::write(tmp.path().join("a.jsonl"), &big).unwrap();
        std::fs::write(tmp.path().join(".hidden.jsonl"), b"other").unwrap();
        std::fs::write(tmp.path().join("b.txt"), b"third").unwrap();
        assert!(mentions(tmp.path(), &[b"needle"]).unwrap());
        assert!(mentions(tmp.path(), &[b"nope", b"xxneed"]).unwrap());
        assert!(!mentions(tmp.path(), &[b"other", b"third"]).unwrap());
        assert!(!mentions(tmp.path(), &[b"needles"]).unwrap());
    }
}
