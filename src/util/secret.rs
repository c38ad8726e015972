//! A secret string (S3 secret key, bearer token, private key) that never prints itself.

use std::fmt;

/// What a secret shows in logs, errors, `Debug`, `Display` and masked output.
pub const MASK: &str = "***";

/// Holds a secret; only [`Secret::expose`] gives the value, for the wire body or header.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The real value: only for what goes on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value, or the mask when `reveal` is false.
    pub fn shown(&self, reveal: bool) -> &str {
        if reveal {
            &self.0
        } else {
            MASK
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

/// Serialising a secret (e.g. in a JSON dump of a request model) masks it; wire bodies use `expose`.
impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(MASK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_display_and_json_mask_the_value() {
        let s = Secret::new("s3cr3t-value");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(serde_json::to_string(&s).ok().as_deref(), Some("\"***\""));
        assert_eq!(s.expose(), "s3cr3t-value");
        assert_eq!(s.shown(false), "***");
        assert_eq!(s.shown(true), "s3cr3t-value");
    }
}

/// Secret bytes (a DER private key); `Debug` prints `***`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretBytes(bytes)
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}
