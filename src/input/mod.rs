//! User input before anything is sent: issues (a problem with its location, a stable code and a
//! message), the reader that walks a JSON value field by field recording them, and the field rules
//! shared by several requests.

pub mod field_rules;
pub mod issue;
pub mod reader;

pub use issue::{Issue, IssueCode, Issues, Location};
pub use reader::ObjectReader;
