//! What makes an upload verified (S3 API reference, PutObject/UploadPart "Content-MD5", and the
//! multipart ETag): each request body carries its MD5 as `Content-MD5`, which S3 and Ceph RGW check
//! before storing it (a mismatch is `BadDigest`); the ETag the server answers for a part or a single
//! PUT is the MD5 of the bytes it stored, and a completed multipart object's ETag is the MD5 of the
//! parts' binary MD5s followed by `-<parts>`. Comparing those with our own tells a body corrupted on
//! the way even by a server that does not check `Content-MD5`.
//!
//! Where a server's ETags are not MD5s (SSE-KMS encrypted buckets), an ETag that does not match
//! proves nothing; such ETags are still 32 hex digits, so a persistent mismatch is reported with that
//! explanation, and `verifyEtags: false` turns the comparison off (the Content-MD5 check stays).

use md5::{Digest, Md5};

use crate::base64;
use crate::sigv4::hex;

/// An MD5 computed piece by piece.
#[derive(Clone, Default)]
pub struct PartDigest(Md5);

impl PartDigest {
    pub fn new() -> Self {
        PartDigest(Md5::new())
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn finish(self) -> Md5Sum {
        let mut sum = [0u8; 16];
        sum.copy_from_slice(&self.0.finalize());
        Md5Sum(sum)
    }
}

/// The MD5 of one request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Md5Sum(pub [u8; 16]);

impl Md5Sum {
    pub fn of(bytes: &[u8]) -> Md5Sum {
        let mut digest = PartDigest::new();
        digest.update(bytes);
        digest.finish()
    }

    /// The `Content-MD5` header value: base64 of the 16 bytes.
    pub fn content_md5(&self) -> String {
        base64::encode(&self.0)
    }

    /// Lower-case hex, as S3 writes it in an ETag.
    pub fn hex(&self) -> String {
        hex(&self.0)
    }
}

/// How an ETag the server answered compares with what we sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EtagCheck {
    /// It is the MD5 we computed: the server stored exactly our bytes.
    Matches,
    /// It looks like an MD5 (32 hex digits) but is another one: the bytes changed on the way, or the
    /// server's ETags are not MD5s.
    Differs,
    /// It is no MD5 at all (absent, another shape): nothing to compare.
    NotAnMd5,
}

/// A single part's or PUT's ETag (quotes allowed) against the MD5 of the body sent.
pub fn check_etag(etag: Option<&str>, sent: &Md5Sum) -> EtagCheck {
    match etag.map(|e| e.trim_matches('"')) {
        Some(e) if is_md5_hex(e) && e.eq_ignore_ascii_case(&sent.hex()) => EtagCheck::Matches,
        Some(e) if is_md5_hex(e) => EtagCheck::Differs,
        _ => EtagCheck::NotAnMd5,
    }
}

/// A completed multipart object's ETag against the one its parts' ETags (in part order) make:
/// `MD5(concatenated binary part MD5s)-<count>`. Parts whose ETags are not MD5s make no expectation.
pub fn check_multipart_etag(etag: Option<&str>, part_etags: &[&str]) -> EtagCheck {
    let mut digest = PartDigest::new();
    for part in part_etags {
        let part = part.trim_matches('"');
        let Some(bytes) = decode_md5_hex(part) else { return EtagCheck::NotAnMd5 };
        digest.update(&bytes);
    }
    let Some((sum, count)) = etag.map(|e| e.trim_matches('"')).and_then(|e| e.rsplit_once('-')) else {
        return EtagCheck::NotAnMd5;
    };
    if !is_md5_hex(sum) {
        return EtagCheck::NotAnMd5;
    }
    let expected = digest.finish().hex();
    if sum.eq_ignore_ascii_case(&expected) && count.parse::<usize>().ok() == Some(part_etags.len()) {
        EtagCheck::Matches
    } else {
        EtagCheck::Differs
    }
}

fn is_md5_hex(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn decode_md5_hex(text: &str) -> Option<[u8; 16]> {
    if !is_md5_hex(text) {
        return None;
    }
    let mut out = [0u8; 16];
    for (byte, pair) in out.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        let digit = |b: u8| char::from(b).to_digit(16).and_then(|d| u8::try_from(d).ok());
        let [hi, lo] = pair else { return None };
        *byte = digit(*hi)?.checked_mul(16)?.checked_add(digit(*lo)?)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_md5_and_hex_follow_rfc_1321_and_1864() {
        // RFC 1321 test suite: MD5("abc").
        let sum = Md5Sum::of(b"abc");
        assert_eq!(sum.hex(), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(sum.content_md5(), "kAFQmDzST7DWlj99KOF/cg==");
        let mut pieces = PartDigest::new();
        pieces.update(b"a");
        pieces.update(b"bc");
        assert_eq!(pieces.finish(), sum);
    }

    #[test]
    fn etags_are_compared_only_when_they_are_md5s() {
        let sum = Md5Sum::of(b"abc");
        assert_eq!(check_etag(Some("\"900150983CD24FB0D6963F7D28E17F72\""), &sum), EtagCheck::Matches);
        assert_eq!(check_etag(Some("900150983cd24fb0d6963f7d28e17f73"), &sum), EtagCheck::Differs);
        assert_eq!(check_etag(Some("abc-2"), &sum), EtagCheck::NotAnMd5);
        assert_eq!(check_etag(None, &sum), EtagCheck::NotAnMd5);
    }

    #[test]
    fn the_multipart_etag_is_the_md5_of_the_part_md5s() {
        let parts = [Md5Sum::of(b"part one").hex(), Md5Sum::of(b"part two").hex()];
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        let mut joined = Vec::new();
        for part in [b"part one".as_slice(), b"part two"] {
            joined.extend(Md5Sum::of(part).0);
        }
        let etag = format!("\"{}-2\"", Md5Sum::of(&joined).hex());
        assert_eq!(check_multipart_etag(Some(&etag), &refs), EtagCheck::Matches);
        assert_eq!(check_multipart_etag(Some(&etag.replace("-2", "-3")), &refs), EtagCheck::Differs);
        let other = format!("{}-2", Md5Sum::of(b"x").hex());
        assert_eq!(check_multipart_etag(Some(&other), &refs), EtagCheck::Differs);
        assert_eq!(check_multipart_etag(Some("opaque"), &refs), EtagCheck::NotAnMd5);
        assert_eq!(check_multipart_etag(Some(&etag), &["not-an-md5"]), EtagCheck::NotAnMd5);
    }
}
