//! The append-only, hash-chained journal an incident is recorded in.
