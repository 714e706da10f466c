//! The incident: the events the journal records and the state folded from them.
//!
//! Pure: no terminal, no async, no file I/O (the journal module stores events; the CLI and the
//! console decide when to read and write).

pub mod command;
pub mod compose;
pub mod describe;
pub mod event;
pub mod state;
pub mod status;
mod tagged;
pub mod tie;
pub mod time;

pub use command::{Accepted, Command, Context, Refusal};
pub use event::{Body, Event, LessonKind, Origin};
pub use state::{DeadlineState, Extended, FoldError, Incident, LiveFold, MessageStatus, fold};
