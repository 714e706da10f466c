//! One record line: encoding, strict decoding and the hash chain.
//!
//! A v1 line is, byte for byte:
//! `{"v":1,"seq":N,"prev":"<64 hex>","entry":<payload>,"sum":"<64 hex>"}\n`
//! where `sum` is the SHA-256 of everything before `,"sum":`. The layout is fixed, so the
//! envelope is checked with plain byte comparisons and only the payload goes through serde.

use std::io::Write as _;

use sha2::{Digest as _, Sha256};

use super::report::{ChainBreak, CorruptReason};

/// The only record version this code writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// Longest record line (newline included) the writer produces and the reader accepts; longer
/// lines are reported as corrupt and skipped without being held in memory.
pub const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// A SHA-256 digest.
pub(crate) type Sum = [u8; 32];

/// `prev` of the first record of a file.
pub(crate) const ZERO_SUM: Sum = [0; 32];

const HEAD: &[u8] = b"{\"v\":1,\"seq\":";
const VERSION_HEAD: &[u8] = b"{\"v\":";
const PREV: &[u8] = b",\"prev\":\"";
const ENTRY: &[u8] = b"\",\"entry\":";
const SUM: &[u8] = b",\"sum\":\"";
const TAIL: &[u8] = b"\"}";
/// `,"sum":"<64 hex>"}`
const SUFFIX_LEN: usize = SUM.len() + 64 + TAIL.len();
/// Shortest possible line: a one-digit seq and a one-byte payload.
const MIN_LEN: usize = HEAD.len() + 1 + PREV.len() + 64 + ENTRY.len() + 1 + SUFFIX_LEN;

/// Encodes one complete line, newline included; returns it with its sum.
///
/// The payload is serialized straight into the line buffer, so the line costs one allocation.
pub(crate) fn encode<T: serde::Serialize>(
    seq: u64,
    prev: &Sum,
    entry: &T,
) -> Result<(Vec<u8>, Sum), serde_json::Error> {
    let mut line = Vec::with_capacity(256);
    line.extend_from_slice(HEAD);
    write!(line, "{seq}").expect("writing to a Vec cannot fail");
    line.extend_from_slice(PREV);
    push_hex(&mut line, prev);
    line.extend_from_slice(ENTRY);
    serde_json::to_writer(&mut line, entry)?;
    let sum: Sum = Sha256::digest(&line).into();
    line.extend_from_slice(SUM);
    push_hex(&mut line, &sum);
    line.extend_from_slice(TAIL);
    line.push(b'\n');
    Ok((line, sum))
}

/// The verified envelope of a line; `entry` is the payload's JSON bytes, not yet parsed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Envelope<'a> {
    pub seq: u64,
    pub prev: Sum,
    pub sum: Sum,
    pub entry: &'a [u8],
}

/// A line whose layout was checked and whose claimed sum was read, not yet verified.
#[derive(Debug, Clone, Copy)]
struct Unverified<'a> {
    /// The summed bytes: the line up to `,"sum":`.
    body: &'a [u8],
    /// The sum the line claims.
    sum: Sum,
}

/// Checks one line (without its `\n`) and splits it into its fields, verifying its sum.
pub(crate) fn decode(line: &[u8]) -> Result<Envelope<'_>, CorruptReason> {
    let unverified = split(line)?;
    if <Sum>::from(Sha256::digest(unverified.body)) != unverified.sum {
        return Err(CorruptReason::BadChecksum);
    }
    fields(unverified)
}

/// First half of [`decode`]: finds the summed bytes and the claimed sum. Nothing but the
/// layout is trusted yet.
///
/// A `\r` before the `\n` (Windows line-ending conversion by a sync tool or git) is tolerated:
/// it is outside the checksummed bytes and changes no field.
fn split(line: &[u8]) -> Result<Unverified<'_>, CorruptReason> {
    // The limit counts the newline, which `line` no longer has.
    if line.len() >= MAX_LINE_BYTES {
        return Err(CorruptReason::TooLong {
            bytes: line.len() as u64 + 1,
        });
    }
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if !line.starts_with(HEAD) {
        return Err(match line.strip_prefix(VERSION_HEAD) {
            Some(rest) => {
                let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                match std::str::from_utf8(&rest[..digits]) {
                    Ok(v) if digits > 0 && v != "1" => CorruptReason::UnsupportedVersion {
                        version: v.to_owned(),
                    },
                    _ => malformed("not a v1 record"),
                }
            }
            None if line.is_empty() => malformed("empty line"),
            None => malformed("not a journal record"),
        });
    }
    if line.len() < MIN_LEN {
        return Err(malformed("too short"));
    }
    let (body, suffix) = line.split_at(line.len() - SUFFIX_LEN);
    match suffix
        .strip_prefix(SUM)
        .and_then(|s| s.strip_suffix(TAIL))
        .and_then(parse_hex)
    {
        Some(sum) => Ok(Unverified { body, sum }),
        None => Err(malformed("no checksum at the end of the line")),
    }
}

/// Second half of [`decode`], once the sum is verified: the fields, strictly laid out.
fn fields(verified: Unverified<'_>) -> Result<Envelope<'_>, CorruptReason> {
    let rest = &verified.body[HEAD.len()..];
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let seq = parse_seq(&rest[..digits]).ok_or_else(|| malformed("bad seq"))?;
    let rest = rest[digits..]
        .strip_prefix(PREV)
        .ok_or_else(|| malformed("bad prev"))?;
    let prev = rest
        .get(..64)
        .and_then(parse_hex)
        .ok_or_else(|| malformed("bad prev"))?;
    let entry = rest[64..]
        .strip_prefix(ENTRY)
        .ok_or_else(|| malformed("bad entry field"))?;
    if entry.is_empty() {
        return Err(malformed("empty entry"));
    }
    Ok(Envelope {
        seq,
        prev,
        sum: verified.sum,
        entry,
    })
}

fn malformed(detail: &str) -> CorruptReason {
    CorruptReason::Malformed {
        detail: detail.to_owned(),
    }
}

/// Canonical decimal: at least 1, no sign, no leading zero, fits in u64.
fn parse_seq(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits[0] == b'0' {
        return None;
    }
    digits.iter().try_fold(0u64, |n, d| {
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

const HEX: &[u8; 16] = b"0123456789abcdef";

pub(crate) fn push_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    for b in bytes {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 15)]);
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    String::from_utf8(out).expect("hex is ASCII")
}

/// Value of each byte as a lowercase hex digit; 0xff for anything else.
const UNHEX: [u8; 256] = {
    let mut table = [0xff; 256];
    let mut i = 0;
    while i < 16 {
        table[HEX[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Strict: exactly 64 lowercase hex digits, so one digest has exactly one spelling.
/// Table-driven and branch-free per digit: it runs twice per record.
fn parse_hex(s: &[u8]) -> Option<Sum> {
    let s: &[u8; 64] = s.try_into().ok()?;
    let mut out = [0u8; 32];
    let mut invalid = 0;
    for (o, pair) in out.iter_mut().zip(s.chunks_exact(2)) {
        let (hi, lo) = (UNHEX[usize::from(pair[0])], UNHEX[usize::from(pair[1])]);
        invalid |= hi | lo;
        *o = hi << 4 | lo;
    }
    (invalid & 0xf0 == 0).then_some(out)
}

/// A cheap 64-bit fingerprint of a payload's bytes, kept per record so that two records with
/// one id but different contents are reported instead of one silently winning. Not a security
/// measure: the per-record SHA-256 is.
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("chunk of 8"));
        h = (h ^ w).wrapping_mul(K).rotate_left(31);
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = (h ^ u64::from_le_bytes(last)).wrapping_mul(K);
    h ^ (h >> 29)
}

/// Hash-chain state of one file, fed the envelopes in file order.
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    last_sum: Sum,
    last_seq: u64,
    /// Lines skipped as corrupt since the last verified record.
    skipped: u64,
}

impl Default for Chain {
    fn default() -> Self {
        Chain {
            last_sum: ZERO_SUM,
            last_seq: 0,
            skipped: 0,
        }
    }
}

impl Chain {
    /// The last verified record's `seq` and `sum`, if any record was verified.
    pub fn head(&self) -> Option<(u64, Sum)> {
        (self.last_seq > 0).then_some((self.last_seq, self.last_sum))
    }

    /// A line that could not be verified; its link is unknown.
    pub fn skip(&mut self) {
        self.skipped += 1;
    }

    /// Links a verified record to the previous one; `Some` describes a break.
    ///
    /// Right after skipped lines the previous sum is unknown, so only `seq` is checked, and it
    /// may have advanced by up to one per skipped line. The chain always continues from this
    /// record: a break is reported once, not for every record after it.
    pub fn link(
        &mut self,
        seq: u64,
        prev: &Sum,
        sum: &Sum,
        line: u64,
        offset: u64,
    ) -> Option<ChainBreak> {
        let expected = self.last_seq + 1;
        let (seq_ok, prev_mismatch) = if self.skipped == 0 {
            (seq == expected, *prev != self.last_sum)
        } else {
            let seq_ok = seq >= expected && seq - expected <= self.skipped;
            (seq_ok, false)
        };
        self.last_sum = *sum;
        self.last_seq = seq;
        self.skipped = 0;
        (!seq_ok || prev_mismatch).then_some(ChainBreak {
            line,
            offset,
            seq,
            expected_seq: expected,
            prev_mismatch,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_then_decode() {
        let (line, sum) = encode(7, &[0xab; 32], &serde_json::json!({"a": "x\ny"})).unwrap();
        let text = std::str::from_utf8(&line).unwrap();
        assert!(text.starts_with(r#"{"v":1,"seq":7,"prev":"abab"#));
        assert!(text.ends_with("\"}\n"));
        assert_eq!(
            text.matches('\n').count(),
            1,
            "payload newlines are escaped"
        );
        let env = decode(&line[..line.len() - 1]).unwrap();
        assert_eq!(env.seq, 7);
        assert_eq!(env.prev, [0xab; 32]);
        assert_eq!(env.sum, sum);
        assert_eq!(env.entry, br#"{"a":"x\ny"}"#);
        let mut crlf = line[..line.len() - 1].to_vec();
        crlf.push(b'\r');
        assert_eq!(decode(&crlf).unwrap().sum, sum);
    }

    #[test]
    fn strictness() {
        let (line, _) = encode(1, &ZERO_SUM, &1).unwrap();
        let line = &line[..line.len() - 1];
        let upper = String::from_utf8(line.to_vec()).unwrap().to_uppercase();
        assert!(decode(upper.as_bytes()).is_err());
        assert!(matches!(decode(b""), Err(CorruptReason::Malformed { .. })));
        assert!(matches!(
            decode(br#"{"v":2,"whatever":true}"#),
            Err(CorruptReason::UnsupportedVersion { version }) if version == "2"
        ));
        assert_eq!(parse_seq(b"0"), None);
        assert_eq!(parse_seq(b"01"), None);
        assert_eq!(parse_seq(b"18446744073709551616"), None);
        assert_eq!(parse_seq(b"18446744073709551615"), Some(u64::MAX));
    }

    #[test]
    fn fingerprint_differs_on_small_changes() {
        assert_ne!(fingerprint(b"abc"), fingerprint(b"abd"));
        assert_ne!(fingerprint(b"abc"), fingerprint(b"abc\0"));
        assert_ne!(fingerprint(b"12345678x"), fingerprint(b"12345678y"));
    }
}
