//! Backups and whether they can be restored: the MTF parser of `.bak` headers (`mtf/`), the
//! preflight that judges a backup set from what was read (`preflight.rs`), its input (bucket,
//! files, credentials: `preflight_input.rs`), where a backup is read (`read_plan.rs`), and the
//! checks of the target instance (`instance_check.rs`). Pure: the reads are the wasm side's job.

pub mod instance_check;
pub mod mtf;
pub mod preflight;
pub mod preflight_input;
pub mod read_plan;
