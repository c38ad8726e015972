//! Hexadecimal digits, the one home for them: digests and GUIDs in lower case, percent-encoding in
//! upper case, and reading a digit back.

const LOWER: &[u8; 16] = b"0123456789abcdef";
const UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Lower-case hex of any bytes (digests, ids).
pub fn lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().saturating_mul(2));
    for &b in bytes {
        push_lower(&mut out, b);
    }
    out
}

/// Appends the two lower-case hex digits of `byte`.
pub fn push_lower(out: &mut String, byte: u8) {
    push_with(LOWER, out, byte);
}

/// Appends the two upper-case hex digits of `byte` (percent-encoding).
pub fn push_upper(out: &mut String, byte: u8) {
    push_with(UPPER, out, byte);
}

fn push_with(digits: &[u8; 16], out: &mut String, byte: u8) {
    out.push(char::from(digits.get(usize::from(byte >> 4)).copied().unwrap_or(b'0')));
    out.push(char::from(digits.get(usize::from(byte & 0x0f)).copied().unwrap_or(b'0')));
}

/// The value of one hex digit, either case.
pub fn value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => digit.checked_sub(b'0'),
        b'a'..=b'f' => digit.checked_sub(b'a' - 10),
        b'A'..=b'F' => digit.checked_sub(b'A' - 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_format_macro_for_every_byte() {
        for byte in 0..=u8::MAX {
            let mut upper = String::new();
            push_upper(&mut upper, byte);
            assert_eq!(lower(&[byte]), format!("{byte:02x}"));
            assert_eq!(upper, format!("{byte:02X}"));
        }
        assert_eq!(lower(&[]), "");
        assert_eq!(lower(&[0xde, 0xad, 0x01]), "dead01");
    }

    #[test]
    fn reads_digits_of_either_case() {
        for byte in 0..=u8::MAX {
            let text = format!("{byte:02x}{byte:02X}");
            let digits: Vec<Option<u8>> = text.bytes().map(value).collect();
            assert_eq!(digits, vec![Some(byte >> 4), Some(byte & 0x0f), Some(byte >> 4), Some(byte & 0x0f)]);
        }
        assert_eq!(value(b'g'), None);
        assert_eq!(value(b'%'), None);
    }
}
