//! Reading JSON this crate wrote earlier back into its type (a wait state, a restore record, an
//! upload's resume entry, a retry policy), strictly: a mistyped field, or an unknown one where the
//! format says so, is an error naming the field's path. Absent and `null` both mean "not given".
//! Hand-written instead of serde's `Deserialize`: the derive's error texts link core's float
//! formatter, ~10 KB gzip of wasm (bench/results/wasm-size-investigation.md).

use serde_json::{Map, Value};

/// A JSON object being read; `path` names it in errors (`resume.anchor`).
pub struct Shape<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Shape<'a> {
    /// `value` as an object, else an error naming `path`.
    pub fn of(value: &'a Value, path: &str) -> Result<Shape<'a>, String> {
        match value {
            Value::Object(map) => Ok(Shape { map, path: path.to_owned() }),
            _ => Err(format!("{} must be an object", quoted(path))),
        }
    }

    /// This object, if it has no field outside `known`: a changed format is refused, not half-read.
    pub fn only(self, known: &[&str]) -> Result<Shape<'a>, String> {
        match self.map.keys().find(|key| !known.contains(&key.as_str())) {
            Some(key) => Err(format!("{} is not a known field", quoted(&self.child(key)))),
            None => Ok(self),
        }
    }

    fn child(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// `key`'s value; absent and `null` are `None`.
    fn field(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|value| !value.is_null())
    }

    // Not inlined: one copy of the error text's formatting instead of one per field read.
    #[inline(never)]
    fn wrong(&self, key: &str, what: &str) -> String {
        format!("{} must be {what}", quoted(&self.child(key)))
    }

    /// `value` of a field that must be given.
    pub fn need<T>(&self, key: &str, value: Option<T>) -> Result<T, String> {
        value.ok_or_else(|| self.missing(key))
    }

    #[inline(never)]
    fn missing(&self, key: &str) -> String {
        format!("{} is missing", quoted(&self.child(key)))
    }

    pub fn string(&self, key: &str) -> Result<Option<String>, String> {
        match self.field(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(self.wrong(key, "a string")),
        }
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, String> {
        match self.field(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.wrong(key, "true or false")),
        }
    }

    /// A whole number within `T` (`u32`, `u64`, `i32`, `i64`): 2.5 or 1e100 are refused, as serde did.
    pub fn int<T: TryFrom<i128>>(&self, key: &str) -> Result<Option<T>, String> {
        match self.whole(key)? {
            None => Ok(None),
            Some(n) => T::try_from(n).map(Some).map_err(|_| self.wrong(key, WHOLE)),
        }
    }

    fn whole(&self, key: &str) -> Result<Option<i128>, String> {
        match self.field(key) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(i128::from)
                .or_else(|| v.as_u64().map(i128::from))
                .map(Some)
                .ok_or_else(|| self.wrong(key, WHOLE)),
        }
    }

    pub fn number(&self, key: &str) -> Result<Option<f64>, String> {
        match self.field(key) {
            None => Ok(None),
            Some(v) => v.as_f64().map(Some).ok_or_else(|| self.wrong(key, "a number")),
        }
    }

    pub fn object(&self, key: &str) -> Result<Option<Shape<'a>>, String> {
        match self.field(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Shape { map, path: self.child(key) })),
            Some(_) => Err(self.wrong(key, "an object")),
        }
    }

    pub fn array(&self, key: &str) -> Result<Option<&'a Vec<Value>>, String> {
        match self.field(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(self.wrong(key, "a list")),
        }
    }

    /// A field read by `read` (given its value and path): a type with a reader of its own.
    pub fn with<T>(
        &self,
        key: &str,
        read: impl FnOnce(&'a Value, &str) -> Result<T, String>,
    ) -> Result<Option<T>, String> {
        match self.field(key) {
            None => Ok(None),
            Some(value) => read(value, &self.child(key)).map(Some),
        }
    }

    /// A string field holding one of `names`, as the index into them.
    pub fn choice(&self, key: &str, names: &[&str]) -> Result<Option<usize>, String> {
        match self.field(key) {
            None => Ok(None),
            Some(v) => match names.iter().position(|name| Some(*name) == v.as_str()) {
                Some(index) => Ok(Some(index)),
                None => Err(self.wrong(key, &format!("one of {}", names.join(", ")))),
            },
        }
    }
}

const WHOLE: &str = "a whole number in range";

fn quoted(path: &str) -> String {
    if path.is_empty() {
        "the value".to_owned()
    } else {
        format!("`{path}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_read_strictly_with_their_path() {
        let value = json!({"a": 1, "b": 2.5, "c": null, "d": {"e": "x"}, "f": "FAILED", "g": -1});
        let shape = Shape::of(&value, "resume").unwrap();
        assert_eq!(shape.int::<u32>("a"), Ok(Some(1)));
        assert_eq!(shape.int::<u32>("b"), Err("`resume.b` must be a whole number in range".into()));
        assert_eq!(shape.int::<u32>("g"), Err("`resume.g` must be a whole number in range".into()));
        assert_eq!(shape.int::<i64>("g"), Ok(Some(-1)));
        assert_eq!(shape.number("b"), Ok(Some(2.5)));
        assert_eq!(shape.string("c"), Ok(None));
        assert_eq!(shape.need("c", shape.string("c").unwrap()), Err("`resume.c` is missing".into()));
        let inner = shape.object("d").unwrap().unwrap();
        assert_eq!(inner.string("e"), Ok(Some("x".into())));
        assert_eq!(inner.bool("e"), Err("`resume.d.e` must be true or false".into()));
        assert_eq!(shape.choice("f", &["SUCCEEDED", "FAILED"]), Ok(Some(1)));
        assert!(shape.choice("a", &["SUCCEEDED"]).is_err());
        let strict = Shape::of(&value, "").unwrap().only(&["a", "b", "c", "d", "f"]);
        assert_eq!(strict.err(), Some("`g` is not a known field".into()));
        assert_eq!(Shape::of(&json!([1]), "").err(), Some("the value must be an object".into()));
    }
}
