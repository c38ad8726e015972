//! What every S3 XML document reader shares: the error, the root check and the readers of a
//! number, a text, `IsTruncated`, an ETag and a list of entries.

use serde::Serialize;

use super::reader::{parse_document, Element, XmlError, XmlErrorCode};

/// Why a body could not be read as the expected S3 document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum S3XmlError {
    /// Not well-formed XML.
    Malformed {
        reason: XmlErrorCode,
        offset: usize,
    },
    /// Well-formed, but another document (`found` is cut to 64 characters).
    UnexpectedRoot {
        expected: &'static str,
        found: String,
    },
    MissingElement {
        element: &'static str,
    },
    /// A number or boolean that does not parse.
    InvalidValue {
        element: &'static str,
    },
}

impl S3XmlError {
    pub fn code(&self) -> &'static str {
        match self {
            S3XmlError::Malformed { .. } => "malformed",
            S3XmlError::UnexpectedRoot { .. } => "unexpected_root",
            S3XmlError::MissingElement { .. } => "missing_element",
            S3XmlError::InvalidValue { .. } => "invalid_value",
        }
    }
}

impl std::fmt::Display for S3XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            S3XmlError::Malformed { reason, offset } => write!(f, "{} (at byte {offset})", reason.message()),
            S3XmlError::UnexpectedRoot { expected, found } => {
                write!(f, "expected an S3 <{expected}> document, got <{found}>")
            }
            S3XmlError::MissingElement { element } => write!(f, "the S3 response lacks <{element}>"),
            S3XmlError::InvalidValue { element } => write!(f, "the S3 response has an invalid <{element}>"),
        }
    }
}

impl std::error::Error for S3XmlError {}

impl From<XmlError> for S3XmlError {
    fn from(e: XmlError) -> Self {
        S3XmlError::Malformed { reason: e.code, offset: e.offset }
    }
}

pub(super) fn root_named(xml: &str, expected: &'static str) -> Result<Element, S3XmlError> {
    let root = parse_document(xml)?;
    if root.local_name() != expected {
        return Err(S3XmlError::UnexpectedRoot { expected, found: root.local_name().chars().take(64).collect() });
    }
    Ok(root)
}

pub(super) fn number(element: &Element, name: &'static str) -> Result<Option<u64>, S3XmlError> {
    element
        .child_text(name)
        .map(|text| text.trim().parse::<u64>().map_err(|_| S3XmlError::InvalidValue { element: name }))
        .transpose()
}

pub(super) fn owned(element: &Element, name: &str) -> Option<String> {
    element.child_text(name).map(str::to_owned)
}

/// Each child `name` of `parent` read by `read`, or the first error. A loop, not `collect` into a
/// `Result`: that adapter costs ~1 KB of wasm per entry type.
pub(super) fn entries<T>(
    parent: &Element,
    name: &'static str,
    read: impl Fn(&Element) -> Result<T, S3XmlError>,
) -> Result<Vec<T>, S3XmlError> {
    let mut out = Vec::new();
    for child in parent.children_named(name) {
        out.push(read(child)?);
    }
    Ok(out)
}

/// `IsTruncated`: `true` / `false`, absent = false.
pub(super) fn truncated(root: &Element) -> Result<bool, S3XmlError> {
    match root.child_text("IsTruncated").map(str::trim) {
        None => Ok(false),
        Some(t) if t.eq_ignore_ascii_case("true") => Ok(true),
        Some(t) if t.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(S3XmlError::InvalidValue { element: "IsTruncated" }),
    }
}

/// Strips the quotes around an ETag (`"abc"` → `abc`, `W/"abc"` → `W/"abc"` unchanged).
pub fn unquote_etag(etag: &str) -> String {
    let trimmed = etag.trim();
    trimmed.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(trimmed).to_owned()
}
