//! Reading user input (a JSON value from JS) field by field, recording every problem with its location
//! instead of stopping at the first.

use serde_json::{Map, Value};

use crate::input::issue::{IssueCode, Issues, Location};
use crate::util::secret::Secret;

/// A JSON object being read; missing or mistyped fields become issues.
pub struct ObjectReader<'a> {
    object: Option<&'a Map<String, Value>>,
    at: Location,
}

pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'a> ObjectReader<'a> {
    /// Reads `value` as an object; `None`/null counts as missing (reported by the caller's `required`).
    pub fn new(value: Option<&'a Value>, at: Location, issues: &mut Issues) -> Self {
        let object = match value {
            Some(Value::Object(map)) => Some(map),
            None | Some(Value::Null) => None,
            Some(other) => {
                issues.error(&at, IssueCode::Type, format!("must be an object, got {}", type_name(other)));
                None
            }
        };
        ObjectReader { object, at }
    }

    pub fn is_present(&self) -> bool {
        self.object.is_some()
    }

    pub fn location(&self) -> &Location {
        &self.at
    }

    /// The raw value of a key (absent and `null` both mean "not given").
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        match self.object.and_then(|o| o.get(key)) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    pub fn optional_string(&self, key: &str, at: &Location, issues: &mut Issues) -> Option<String> {
        match self.raw(key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                issues.error(at, IssueCode::Type, format!("must be a string, got {}", type_name(other)));
                None
            }
        }
    }

    pub fn required_string(&self, key: &str, at: &Location, issues: &mut Issues) -> Option<String> {
        if self.raw(key).is_none() {
            issues.error(at, IssueCode::Required, "is required");
            return None;
        }
        self.optional_string(key, at, issues)
    }

    pub fn required_secret(&self, key: &str, at: &Location, issues: &mut Issues) -> Option<Secret> {
        // The type message never echoes the value: it may be the secret itself.
        self.required_string(key, at, issues).map(Secret::new)
    }

    pub fn optional_bool(&self, key: &str, at: &Location, issues: &mut Issues) -> Option<bool> {
        match self.raw(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                issues.error(at, IssueCode::Type, format!("must be a boolean, got {}", type_name(other)));
                None
            }
        }
    }

    /// An integer in `i64` range (JS numbers with no fraction).
    pub fn optional_integer(&self, key: &str, at: &Location, issues: &mut Issues) -> Option<i64> {
        let value = self.raw(key)?;
        match value.as_i64() {
            Some(n) => Some(n),
            None => {
                let got = match value {
                    Value::Number(_) => "a number that is not a whole number in range",
                    other => type_name(other),
                };
                issues.error(at, IssueCode::Type, format!("must be an integer, got {got}"));
                None
            }
        }
    }

    pub fn optional_array(&self, key: &str, at: &Location, issues: &mut Issues) -> Option<&'a Vec<Value>> {
        match self.raw(key)? {
            Value::Array(items) => Some(items),
            other => {
                issues.error(at, IssueCode::Type, format!("must be an array, got {}", type_name(other)));
                None
            }
        }
    }
}
