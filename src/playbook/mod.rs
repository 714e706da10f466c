//! Playbook format v1: types, durations, calendars, loading and validation.
//!
//! Pure: no terminal, no async. [`load`] reads files; everything else works on values.

pub mod calendar;
pub mod catalog;
pub mod diff;
pub mod duration;
pub mod language;
pub mod load;
pub mod model;
pub mod placeholder;
pub mod problem;
pub mod schema;
pub mod snapshot;
pub mod suggest;
pub mod validate;

pub use load::{LoadError, Loaded, load_file, parse};
pub use model::*;
pub use problem::{Level, Problem};
