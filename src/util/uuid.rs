//! UUID text checks and v4 generation from caller-supplied randomness (the core has no RNG).

/// `8-4-4-4-12` hex digits, any case (RFC 9562 text form).
pub fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// A version-4 UUID from 16 random bytes (RFC 9562 §5.4: version and variant bits set).
pub fn uuid_v4(mut random: [u8; 16]) -> String {
    random[6] = (random[6] & 0x0f) | 0x40;
    random[8] = (random[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, byte) in random.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        super::hex::push_lower(&mut out, *byte);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_sets_version_and_variant() {
        let id = uuid_v4([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(is_uuid(&id));
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn recognises_uuid_text() {
        assert!(is_uuid("df727477-8991-486c-a3ed-d11d9d9beb1c"));
        assert!(is_uuid("DF727477-8991-486C-A3ED-D11D9D9BEB1C"));
        assert!(!is_uuid("df727477-8991-486c-a3ed-d11d9d9beb1"));
        assert!(!is_uuid("df727477x8991-486c-a3ed-d11d9d9beb1c"));
        assert!(!is_uuid("gf727477-8991-486c-a3ed-d11d9d9beb1c"));
        assert!(!is_uuid(""));
    }
}
