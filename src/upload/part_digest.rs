//! Is a completed multipart object the parts we sent? (S3 API reference, "Checking object integrity":
//! a multipart object's ETag is the MD5 of its parts' binary ETags followed by `-<parts>`.) Each part
//! was verified by the server when it arrived (its signed SHA-256 payload hash); comparing the
//! completed object's ETag with the one the parts' own ETags make tells that the server assembled
//! exactly those parts, in that order. Only ETags the server gave are used, so this holds for
//! encrypted buckets too, whose part ETags are no MD5 of the data.

use md5::{Digest, Md5};

use crate::util::hex;

/// How a completed object's ETag compares with the one its parts make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EtagCheck {
    Matches,
    /// Another MD5, or another part count: the object is not (only) these parts.
    Differs,
    /// An ETag of another shape (absent, opaque): nothing to compare.
    NotComparable,
}

/// The completed object's `etag` against the parts' ETags (quotes allowed), in part order.
pub fn check_multipart_etag(etag: Option<&str>, part_etags: &[&str]) -> EtagCheck {
    let mut digest = Md5::new();
    for part in part_etags {
        let Some(bytes) = decode_md5_hex(part.trim_matches('"')) else { return EtagCheck::NotComparable };
        digest.update(bytes);
    }
    let Some((sum, count)) = etag.map(|e| e.trim_matches('"')).and_then(|e| e.rsplit_once('-')) else {
        return EtagCheck::NotComparable;
    };
    if decode_md5_hex(sum).is_none() {
        return EtagCheck::NotComparable;
    }
    let expected = hex::lower(&digest.finalize());
    if sum.eq_ignore_ascii_case(&expected) && count.parse::<usize>().ok() == Some(part_etags.len()) {
        EtagCheck::Matches
    } else {
        EtagCheck::Differs
    }
}

/// 32 hex digits as 16 bytes.
fn decode_md5_hex(text: &str) -> Option<[u8; 16]> {
    if text.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (byte, pair) in out.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        let [hi, lo] = pair else { return None };
        *byte = hex::value(*hi)?.checked_mul(16)?.checked_add(hex::value(*lo)?)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md5_hex(bytes: &[u8]) -> String {
        hex::lower(&Md5::digest(bytes))
    }

    #[test]
    fn the_multipart_etag_is_the_md5_of_the_part_md5s() {
        // RFC 1321 test suite: MD5("abc").
        assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        let parts = [md5_hex(b"part one"), md5_hex(b"part two")];
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        let mut joined = Vec::new();
        for part in [b"part one".as_slice(), b"part two"] {
            joined.extend(Md5::digest(part));
        }
        let etag = format!("\"{}-2\"", md5_hex(&joined));
        assert_eq!(check_multipart_etag(Some(&etag), &refs), EtagCheck::Matches);
        assert_eq!(check_multipart_etag(Some(&etag.to_uppercase()), &refs), EtagCheck::Matches);
        assert_eq!(check_multipart_etag(Some(&etag.replace("-2", "-3")), &refs), EtagCheck::Differs);
        let swapped = [refs[1], refs[0]];
        assert_eq!(check_multipart_etag(Some(&etag), &swapped), EtagCheck::Differs, "order matters");
        assert_eq!(check_multipart_etag(Some(&format!("{}-2", md5_hex(b"x"))), &refs), EtagCheck::Differs);
        assert_eq!(check_multipart_etag(Some("opaque"), &refs), EtagCheck::NotComparable);
        assert_eq!(check_multipart_etag(None, &refs), EtagCheck::NotComparable);
        assert_eq!(check_multipart_etag(Some(&etag), &["not-an-md5"]), EtagCheck::NotComparable);
    }
}
