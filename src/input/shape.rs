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

    fn read<T>(&self, key: &str, what: &str, convert: impl Fn(&'a Value) -> Option<T>) -> Result<Option<T>, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => {
                convert(value).map(Some).ok_or_else(|| format!("{} must be {what}", quoted(&self.child(key))))
            }
        }
    }

    /// `value` of a field that must be given.
    pub fn need<T>(&self, key: &str, value: Option<T>) -> Result<T, String> {
        value.ok_or_else(|| format!("{} is missing", quoted(&self.child(key))))
    }

    pub fn string(&self, key: &str) -> Result<Option<String>, String> {
        self.read(key, "a string", |v| v.as_str().map(str::to_owned))
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, String> {
        self.read(key, "true or false", Value::as_bool)
    }

    /// A whole number within `T` (`u32`, `u64`, `i32`, `i64`): 2.5 or 1e100 are refused, as serde did.
    pub fn int<T: TryFrom<i128>>(&self, key: &str) -> Result<Option<T>, String> {
        self.read(key, "a whole number in range", |v| {
            let n = v.as_i64().map(i128::from).or_else(|| v.as_u64().map(i128::from))?;
            T::try_from(n).ok()
        })
    }

    pub fn number(&self, key: &str) -> Result<Option<f64>, String> {
        self.read(key, "a number", Value::as_f64)
    }

    pub fn object(&self, key: &str) -> Result<Option<Shape<'a>>, String> {
        let path = self.child(key);
        self.read(key, "an object", |v| v.as_object().map(|map| Shape { map, path: path.clone() }))
    }

    pub fn array(&self, key: &str) -> Result<Option<&'a Vec<Value>>, String> {
        self.read(key, "a list", Value::as_array)
    }

    /// A field read by `read` (given its value and path): a type with a reader of its own.
    pub fn with<T>(
        &self,
        key: &str,
        read: impl FnOnce(&'a Value, &str) -> Result<T, String>,
    ) -> Result<Option<T>, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => read(value, &self.child(key)).map(Some),
        }
    }

    /// A string field holding one of `names`, as the index into them.
    pub fn choice(&self, key: &str, names: &[&str]) -> Result<Option<usize>, String> {
        let what = format!("one of {}", names.join(", "));
        self.read(key, &what, |v| names.iter().position(|name| Some(*name) == v.as_str()))
    }
}

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
