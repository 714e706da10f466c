//! Was a report made from the record in this folder? Compares the chain heads a report's JSON
//! lists (`integrity.chain_heads`) with the folder's as read now, file by file.
//!
//! Pure: the caller reads the folder (the current heads) and gives a way to look up the sum
//! of a record by `seq` in a file's current bytes ([`crate::journal::record_sum`]).

use serde::Serialize;

use super::model::ChainHeadRow;

/// How one journal file compares with what the report recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HeadState {
    /// Same last record: the file is as it was.
    Unchanged,
    /// Records were added since; the ones the report was made from are still there, unchanged.
    Grew,
    /// The file no longer holds the records the report was made from: edited, cut or replaced.
    Changed,
    /// The file the report was made from is gone.
    Missing,
    /// A journal file the report did not know (written later, or copied in).
    New,
}

/// One file's comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeadFinding {
    pub file: String,
    pub state: HeadState,
    /// What it means, in words.
    pub detail: String,
}

impl HeadFinding {
    /// The report's record is no longer intact in this file.
    pub fn is_mismatch(&self) -> bool {
        matches!(self.state, HeadState::Changed | HeadState::Missing)
    }
}

/// Why a report's chain heads could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HeadsError {
    #[error("the report is not JSON: {0}")]
    NotJson(String),
    #[error(
        "the report has no chain heads at /integrity/chain_heads (is it a crisisdesk report made with --format json?)"
    )]
    NoHeads,
    #[error("the report's chain heads at /integrity/chain_heads{pointer} do not read: {detail}")]
    BadHeads { pointer: String, detail: String },
}

/// The chain heads of the journal files as read: what a report records and what a check
/// compares it with.
pub fn chain_heads(journal: &crate::journal::JournalReport) -> Vec<ChainHeadRow> {
    journal
        .files
        .iter()
        .map(|f| ChainHeadRow {
            file: f.file.clone(),
            records: f.records,
            seq: f.chain_head.as_ref().map_or(0, |h| h.seq),
            sum: f.chain_head.as_ref().map(|h| h.sum.clone()),
        })
        .collect()
}

/// The chain heads listed in a report's JSON.
pub fn heads_from_report(json: &str) -> Result<Vec<ChainHeadRow>, HeadsError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| HeadsError::NotJson(e.to_string()))?;
    let heads = value
        .pointer("/integrity/chain_heads")
        .and_then(|v| v.as_array())
        .ok_or(HeadsError::NoHeads)?;
    heads
        .iter()
        .enumerate()
        .map(|(i, h)| {
            serde_json::from_value(h.clone()).map_err(|e| HeadsError::BadHeads {
                pointer: format!("/{i}"),
                detail: e.to_string(),
            })
        })
        .collect()
}

/// Compares the heads a report recorded with the folder's current ones. `sum_at(file, seq)`
/// gives the `sum` of record `seq` in the file as it is now, if records 1 to `seq` are intact
/// and chained ([`crate::journal::chain_sum_at`] on the file's bytes).
pub fn compare(
    recorded: &[ChainHeadRow],
    current: &[ChainHeadRow],
    sum_at: impl Fn(&str, u64) -> Option<String>,
) -> Vec<HeadFinding> {
    let mut out = Vec::new();
    for r in recorded {
        let finding = |state, detail: String| HeadFinding {
            file: r.file.clone(),
            state,
            detail,
        };
        let Some(c) = current.iter().find(|c| c.file == r.file) else {
            out.push(finding(
                HeadState::Missing,
                "the file is not in the folder any more".into(),
            ));
            continue;
        };
        let Some(sum) = &r.sum else {
            out.push(if c.sum.is_none() {
                finding(HeadState::Unchanged, "no record then, none now".into())
            } else {
                finding(
                    HeadState::Grew,
                    format!(
                        "empty when the report was made; {} record(s) since",
                        c.records
                    ),
                )
            });
            continue;
        };
        // The records up to the recorded head must all be there, unchanged and chained.
        if sum_at(&r.file, r.seq).as_ref() != Some(sum) {
            out.push(finding(
                HeadState::Changed,
                format!(
                    "records 1 to {} are not the ones the report was made from (last SHA-256 {sum}): the file was edited, cut or replaced",
                    r.seq
                ),
            ));
        } else if c.seq > r.seq {
            out.push(finding(
                HeadState::Grew,
                format!(
                    "records 1 to {} are unchanged; {} record(s) were added after the report was made",
                    r.seq,
                    c.seq - r.seq
                ),
            ));
        } else {
            out.push(finding(
                HeadState::Unchanged,
                format!(
                    "records 1 to {} are the ones the report was made from",
                    r.seq
                ),
            ));
        }
    }
    for c in current {
        if !recorded.iter().any(|r| r.file == c.file) {
            out.push(HeadFinding {
                file: c.file.clone(),
                state: HeadState::New,
                detail: format!(
                    "not in the report: {} record(s) written since, or copied in",
                    c.records
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(file: &str, seq: u64, sum: Option<&str>) -> ChainHeadRow {
        ChainHeadRow {
            file: file.into(),
            records: seq,
            seq,
            sum: sum.map(str::to_owned),
        }
    }

    #[test]
    fn each_file_is_named_with_what_happened_to_it() {
        let recorded = vec![
            head("a.jsonl", 3, Some("aaa")),
            head("b.jsonl", 2, Some("bbb")),
            head("c.jsonl", 5, Some("ccc")),
            head("d.jsonl", 1, Some("ddd")),
            head("e.jsonl", 4, Some("eee")),
        ];
        let current = vec![
            head("a.jsonl", 3, Some("aaa")),
            head("b.jsonl", 4, Some("b44")),
            head("c.jsonl", 5, Some("c55")),
            head("e.jsonl", 6, Some("e66")),
            head("f.jsonl", 1, Some("fff")),
        ];
        let sum_at = |file: &str, seq: u64| match (file, seq) {
            ("a.jsonl", 3) => Some("aaa".to_owned()),
            ("b.jsonl", 2) => Some("bbb".to_owned()),
            ("e.jsonl", 4) => Some("XXX".to_owned()),
            _ => None,
        };
        let found: Vec<(String, HeadState)> = compare(&recorded, &current, sum_at)
            .into_iter()
            .map(|f| (f.file, f.state))
            .collect();
        assert_eq!(
            found,
            [
                ("a.jsonl".into(), HeadState::Unchanged),
                ("b.jsonl".into(), HeadState::Grew),
                ("c.jsonl".into(), HeadState::Changed),
                ("d.jsonl".into(), HeadState::Missing),
                ("e.jsonl".into(), HeadState::Changed),
                ("f.jsonl".into(), HeadState::New),
            ]
        );
    }

    #[test]
    fn heads_are_read_from_a_report_with_a_pointer_on_error() {
        let ok =
            r#"{"integrity":{"chain_heads":[{"file":"a.jsonl","records":1,"seq":1,"sum":"ab"}]}}"#;
        assert_eq!(
            heads_from_report(ok).unwrap(),
            [head("a.jsonl", 1, Some("ab"))]
        );
        assert!(matches!(
            heads_from_report("{"),
            Err(HeadsError::NotJson(_))
        ));
        assert!(matches!(heads_from_report("{}"), Err(HeadsError::NoHeads)));
        let bad = r#"{"integrity":{"chain_heads":[{"file":"a.jsonl"}]}}"#;
        let e = heads_from_report(bad).unwrap_err().to_string();
        assert!(e.contains("/integrity/chain_heads/0"), "{e}");
    }
}
