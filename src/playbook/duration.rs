//! Durations as written in playbooks (`1h30m`, `4bd`, `P1M`).
