//! Small helpers every concern may use, depending on nothing else in the crate: Base64, hex digits, a
//! sort for short lists, UUIDs, secrets that never print, the calendar and RFC 3339 times, the crate version.

pub mod base64;
pub mod hex;
pub mod secret;
pub mod sort;
pub mod time;
pub mod uuid;
pub mod version;

/// A whole, non-negative f64 (a validated option such as `timeoutMs`) as text without linking the float
/// formatter: `f64` Display pulls in core's Grisu/Dragon code (~14 KB of wasm).
pub fn whole_text(n: f64) -> String {
    (n as u64).to_string()
}
