//! crisisdesk: a terminal war room for crisis communicators.
//!
//! The domain (`playbook`, `incident`) is pure Rust with no terminal, async or I/O;
//! `journal` is the on-disk append-only log; the CLI and the console are thin shells.
#![forbid(unsafe_code)]

pub mod check;
pub mod cli;
pub mod clock;
pub mod command_line;
pub mod exercise;
pub mod fault;
pub mod inbox;
pub mod incident;
pub mod journal;
pub mod playbook;
pub mod presence;
pub mod report;
pub mod sanitize;
pub mod store;
pub mod tui;
pub mod watch;
