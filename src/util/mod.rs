//! Small helpers every concern may use, depending on nothing else in the crate: Base64, hex digits, a
//! sort for short lists, UUIDs, secrets that never print, the calendar and RFC 3339 times, the crate version.

pub mod base64;
pub mod hex;
pub mod secret;
pub mod sort;
pub mod time;
pub mod uuid;
pub mod version;
