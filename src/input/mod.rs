//! User input before anything is sent: issues (a problem with its location, a stable code and a
//! message), the reader that walks a JSON value field by field recording them, the field rules
//! shared by several requests, and the defaults and bounds of the call, preflight and upload options.

pub mod field_rules;
pub mod issue;
pub mod options;
pub mod reader;
pub mod shape;

pub use issue::{Issue, IssueCode, Issues, Location};
pub use reader::ObjectReader;
