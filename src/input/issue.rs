//! A problem found in user input, before anything is sent: a path, a stable code and a message.

use serde::Serialize;

/// Stable machine codes; the JS API and the console key on these, so never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    /// Missing, null or empty.
    Required,
    /// Wrong JSON type (a number where a string belongs, …).
    Type,
    /// Right type, wrong shape (not a UUID, bad characters, not an address).
    Format,
    TooLong,
    TooMany,
    /// A system database name that can never be a restore target.
    ReservedName,
    Duplicate,
    /// Stripe numbers must run 1..N without holes.
    Gap,
    /// An S3 file outside the bucket address.
    NotInBucket,
    /// A value the API does not list (region, API version).
    Unknown,
    /// Plain http:// to a non-loopback host.
    Insecure,
    /// A backup file not named `.bak` (warning only).
    UnusualExtension,
}

/// One problem. `path` is a JSON pointer into the wire request (`/source/s3_details/s3_files/1/file_path`,
/// or `/projectId`-style for URL parameters); `field` is where it sits in the JS input (`s3.files[1].path`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub path: String,
    pub field: String,
    pub code: IssueCode,
    pub message: String,
}

/// Where a value sits in the JS input and in the wire request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub field: String,
    pub path: String,
}

impl Location {
    pub fn new(field: impl Into<String>, path: impl Into<String>) -> Self {
        Location { field: field.into(), path: path.into() }
    }

    /// A child location: `field` joined with `.`, `path` with `/`.
    pub fn child(&self, field: &str, path: &str) -> Location {
        let field = if self.field.is_empty() { field.to_owned() } else { format!("{}.{field}", self.field) };
        Location { field, path: format!("{}/{path}", self.path) }
    }

    /// An array element location: `field[i]`, `path/i`.
    pub fn index(&self, i: usize) -> Location {
        Location { field: format!("{}[{i}]", self.field), path: format!("{}/{i}", self.path) }
    }

    pub fn issue(&self, code: IssueCode, message: impl Into<String>) -> Issue {
        Issue { path: self.path.clone(), field: self.field.clone(), code, message: message.into() }
    }
}

/// Errors block sending; warnings are advice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Issues {
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

impl Issues {
    pub fn error(&mut self, at: &Location, code: IssueCode, message: impl Into<String>) {
        self.errors.push(at.issue(code, message));
    }

    pub fn warning(&mut self, at: &Location, code: IssueCode, message: impl Into<String>) {
        self.warnings.push(at.issue(code, message));
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}
