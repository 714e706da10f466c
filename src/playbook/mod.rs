//! Playbook format v1: types, durations, calendars, loading and validation.

pub mod calendar;
pub mod duration;
