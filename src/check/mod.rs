//! "What did we tell whom": the figures each audience has heard, and the contradictions
//! between them, before they are sent.
//!
//! Pure: no terminal, no files. [`extract`] reads the figures stated in one text; the rest
//! of the module compares them across messages, audiences and the facts log.

pub mod extract;
pub mod finding;
pub mod lexicon;
pub mod noun;
pub mod record;

pub use extract::{Statement, Subject, Value, extract};
pub use finding::{Finding, Kind, Quote};
pub use lexicon::{Bound, Lang};
pub use record::{Record, Said};
