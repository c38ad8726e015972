//! Reading a parsed body field by field, stopping at the first problem with its JSON pointer.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::input::reader::type_name;

/// Why a response body could not be read. `path` is a JSON pointer into the body
/// (`/runningRestores/2/percent_complete`; `""` for the body as a whole). The message names types,
/// never values: it is safe to log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParseError {
    pub path: String,
    pub message: String,
}

impl ParseError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        ParseError { path: path.into(), message: message.into() }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "unexpected response body: {}", self.message)
        } else {
            write!(f, "unexpected response body at {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ParseError {}

/// Parses the body text and hands its top-level object to `read`.
pub(super) fn read_body<T>(
    body: &str,
    read: impl FnOnce(&ObjectAt<'_>) -> Result<T, ParseError>,
) -> Result<T, ParseError> {
    if body.trim().is_empty() {
        return Err(ParseError::new("", "is empty, expected a JSON object"));
    }
    // serde_json's messages name the problem and its line/column, never the input text; its
    // recursion limit (128) turns absurdly deep input into an error instead of a stack overflow.
    let value: Value =
        serde_json::from_str(body).map_err(|e| ParseError::new("", format!("is not valid JSON: {e}")))?;
    let root = object(&value, String::new())?;
    read(&root)
}

/// A JSON object and where it sits in the body.
pub(super) struct ObjectAt<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> ObjectAt<'a> {
    fn child_path(&self, key: &str) -> String {
        format!("{}/{}", self.path, escape_pointer_token(key))
    }

    /// A property in the schema's `required` list: absence is an error, `null` a type error.
    pub fn required<T>(
        &self,
        key: &str,
        convert: impl FnOnce(&'a Value, String) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        let path = self.child_path(key);
        match self.map.get(key) {
            None => Err(ParseError::new(path, "is required")),
            Some(value) => convert(value, path),
        }
    }

    /// Any other property: absent or `null` is `None`.
    pub fn optional<T>(
        &self,
        key: &str,
        convert: impl FnOnce(&'a Value, String) -> Result<T, ParseError>,
    ) -> Result<Option<T>, ParseError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => convert(value, self.child_path(key)).map(Some),
        }
    }
}

fn type_error(path: String, expected: &str, value: &Value) -> ParseError {
    ParseError::new(path, format!("must be {expected}, got {}", type_name(value)))
}

pub(super) fn object(value: &Value, path: String) -> Result<ObjectAt<'_>, ParseError> {
    match value {
        Value::Object(map) => Ok(ObjectAt { map, path }),
        other => Err(type_error(path, "an object", other)),
    }
}

pub(super) fn string(value: &Value, path: String) -> Result<String, ParseError> {
    match value {
        Value::String(text) => Ok(text.clone()),
        other => Err(type_error(path, "a string", other)),
    }
}

pub(super) fn boolean(value: &Value, path: String) -> Result<bool, ParseError> {
    match value {
        Value::Bool(flag) => Ok(*flag),
        other => Err(type_error(path, "a boolean", other)),
    }
}

/// An OpenAPI `int64`. A whole number written as `20.0` or `2e1` is the same JSON number and accepted.
pub(super) fn integer(value: &Value, path: String) -> Result<i64, ParseError> {
    let Value::Number(number) = value else {
        return Err(type_error(path, "an integer", value));
    };
    if let Some(n) = number.as_i64() {
        return Ok(n);
    }
    if number.is_u64() {
        return Err(ParseError::new(path, "must be an integer, got a number out of range"));
    }
    // Only floats are left. Within ±2^53 every float is exact, so the cast below is lossless.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match number.as_f64() {
        Some(x) if x.fract() != 0.0 => Err(ParseError::new(path, "must be an integer, got a number with a fraction")),
        Some(x) if (-EXACT..=EXACT).contains(&x) => Ok(x as i64),
        _ => Err(ParseError::new(path, "must be an integer, got a number out of range")),
    }
}

/// An OpenAPI `int32`.
pub(super) fn int32(value: &Value, path: String) -> Result<i32, ParseError> {
    let wide = integer(value, path.clone())?;
    i32::try_from(wide).map_err(|_| ParseError::new(path, "must be a 32-bit integer, got a number out of range"))
}

/// An array whose items are read by `item` (each with its `/index` path).
pub(super) fn array<'a, T>(
    value: &'a Value,
    path: String,
    mut item: impl FnMut(&'a Value, String) -> Result<T, ParseError>,
) -> Result<Vec<T>, ParseError> {
    let Value::Array(items) = value else {
        return Err(type_error(path, "an array", value));
    };
    // A loop, not `collect` into a `Result`: that adapter costs ~1 KB of wasm per item type.
    let mut read = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        read.push(item(v, format!("{path}/{i}"))?);
    }
    Ok(read)
}

/// An array of objects, each read by `read`.
pub(super) fn objects<'a, T>(
    value: &'a Value,
    path: String,
    read: impl Fn(&ObjectAt<'a>) -> Result<T, ParseError>,
) -> Result<Vec<T>, ParseError> {
    array(value, path, |v, p| read(&object(v, p)?))
}

/// RFC 6901: `~` → `~0`, `/` → `~1`.
fn escape_pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err<T: std::fmt::Debug>(r: Result<T, ParseError>) -> (String, String) {
        match r {
            Err(e) => (e.path, e.message),
            Ok(v) => (format!("unexpected Ok({v:?})"), String::new()),
        }
    }

    #[test]
    fn integers_accept_whole_floats_and_reject_the_rest() {
        assert_eq!(integer(&json!(20), "/p".into()), Ok(20));
        assert_eq!(integer(&json!(20.0), "/p".into()), Ok(20));
        assert_eq!(integer(&json!(-3), "/p".into()), Ok(-3));
        assert_eq!(err(integer(&json!(20.5), "/p".into())).1, "must be an integer, got a number with a fraction");
        assert_eq!(err(integer(&json!(u64::MAX), "/p".into())).1, "must be an integer, got a number out of range");
        assert_eq!(err(integer(&json!(1e300), "/p".into())).1, "must be an integer, got a number out of range");
        assert_eq!(err(integer(&json!("7"), "/p".into())).1, "must be an integer, got a string");
        assert_eq!(
            err(int32(&json!(2_147_483_648_i64), "/p".into())).1,
            "must be a 32-bit integer, got a number out of range"
        );
        assert_eq!(int32(&json!(-2_147_483_648_i64), "/p".into()), Ok(i32::MIN));
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(escape_pointer_token("a/b~c"), "a~1b~0c");
    }

    #[test]
    fn null_is_absent_for_optional_and_a_type_error_for_required() {
        let v = json!({"a": null});
        let o = object(&v, String::new()).ok();
        let o = o.as_ref();
        assert_eq!(o.map(|o| o.optional("a", string)), Some(Ok(None)));
        assert_eq!(
            o.map(|o| err(o.required("a", string))),
            Some(("/a".to_owned(), "must be a string, got null".to_owned()))
        );
        assert_eq!(o.map(|o| err(o.required("b", string))), Some(("/b".to_owned(), "is required".to_owned())));
    }

    #[test]
    fn display_names_the_path() {
        let e = ParseError::new("/runningRestores/2/percent_complete", "must be an integer, got a string");
        assert_eq!(
            e.to_string(),
            "unexpected response body at /runningRestores/2/percent_complete: must be an integer, got a string"
        );
        assert_eq!(ParseError::new("", "is empty").to_string(), "unexpected response body: is empty");
    }

    #[test]
    fn serializes_camel_case() {
        let e = ParseError::new("/a", "b");
        assert_eq!(serde_json::to_value(&e).ok(), Some(serde_json::json!({"path": "/a", "message": "b"})));
    }
}
