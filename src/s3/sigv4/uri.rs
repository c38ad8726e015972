//! The URL pieces SigV4 signs, and RFC 3986 percent-encoding as SigV4 writes it
//! (docs.aws.amazon.com, "Create a signed AWS API request", step 1: `UriEncode`).

use super::error::SigV4Error;
use crate::util::hex;
use crate::util::sort::sort_small;

/// `http(s)://authority/path?query#fragment`, split without allocating; the fragment is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlParts<'a> {
    /// `http` or `https`, as written.
    pub scheme: &'a str,
    /// `host[:port]` as written.
    pub authority: &'a str,
    /// From the `/` after the authority up to `?`/`#`; empty when the URL has no path.
    pub path: &'a str,
    /// After `?` up to `#`; empty when absent.
    pub query: &'a str,
}

impl<'a> UrlParts<'a> {
    pub fn parse(url: &'a str) -> Result<UrlParts<'a>, SigV4Error> {
        let (scheme, rest) = url.split_once("://").ok_or(SigV4Error::InvalidUrl)?;
        if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
            return Err(SigV4Error::InvalidUrl);
        }
        if url.bytes().any(|b| b.is_ascii_control() || b == b' ') {
            return Err(SigV4Error::InvalidUrl);
        }
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, rest) = (rest.get(..authority_end).unwrap_or(""), rest.get(authority_end..).unwrap_or(""));
        if authority.is_empty()
            || authority.starts_with(':')
            || !authority.bytes().all(|b| b.is_ascii_alphanumeric() || b".-_:[]".contains(&b))
        {
            return Err(SigV4Error::InvalidUrl);
        }
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        Ok(UrlParts { scheme, authority, path, query })
    }

    /// The `host` header value as fetch sends it: lower case, without the scheme's default port.
    pub fn host_header(&self) -> String {
        let host = self.authority.to_ascii_lowercase();
        let default_port = if self.scheme.eq_ignore_ascii_case("https") { ":443" } else { ":80" };
        match host.strip_suffix(default_port) {
            Some(bare) if !bare.is_empty() => bare.to_owned(),
            _ => host,
        }
    }
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Percent-encodes every byte except the unreserved set (`A-Z a-z 0-9 - . _ ~`), upper-case hex;
/// `/` stays when `keep_slash` (S3's canonical URI), else it becomes `%2F` (query keys and values).
pub fn uri_encode_into(bytes: &[u8], keep_slash: bool, out: &mut String) {
    for &b in bytes {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            out.push('%');
            hex::push_upper(out, b);
        }
    }
}

pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    uri_encode_into(text.as_bytes(), keep_slash, &mut out);
    out
}

/// Decodes `%XX` escapes to bytes; a `%` not followed by two hex digits stays literal, and `+`
/// stays `+` (RFC 3986 gives it no meaning; form encoding is not used on these URLs).
pub fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut iter = bytes.iter().copied().enumerate();
    while let Some((i, b)) = iter.next() {
        if b == b'%' {
            let hi = bytes.get(i.saturating_add(1)).copied().and_then(hex::value);
            let lo = bytes.get(i.saturating_add(2)).copied().and_then(hex::value);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push((hi << 4) | lo);
                iter.nth(1);
                continue;
            }
        }
        out.push(b);
    }
    out
}

/// S3's canonical URI: the path decoded once and encoded once, `/` kept, no dot-segment or
/// double-slash normalisation (S3 keys may contain them); `/` for an empty path.
pub fn canonical_uri(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let decoded = percent_decode(path);
    let mut out = String::with_capacity(decoded.len());
    uri_encode_into(&decoded, true, &mut out);
    out
}

/// The canonical query string: every `key[=value]` pair decoded and encoded again, a key without `=`
/// written `key=`, pairs sorted by encoded key then encoded value, joined with `&`. More than
/// [`MAX_SORTED_ITEMS`] pairs are refused.
pub fn canonical_query(query: &str) -> Result<String, SigV4Error> {
    if query.split('&').filter(|pair| !pair.is_empty()).nth(MAX_SORTED_ITEMS).is_some() {
        return Err(SigV4Error::InvalidUrl);
    }
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let mut k = String::with_capacity(key.len());
            uri_encode_into(&percent_decode(key), false, &mut k);
            let mut v = String::with_capacity(value.len());
            uri_encode_into(&percent_decode(value), false, &mut v);
            (k, v)
        })
        .collect();
    sort_small(&mut pairs, |a, b| a < b);
    Ok(join_pairs(&pairs))
}

/// Most lists a signer sorts: query pairs and headers.
pub const MAX_SORTED_ITEMS: usize = 256;

/// `k=v&k=v` from already-encoded pairs.
pub fn join_pairs(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls() {
        let p = UrlParts::parse("https://Host.example:8443/a/b%20c?x=1&y#frag").unwrap();
        assert_eq!((p.scheme, p.authority, p.path, p.query), ("https", "Host.example:8443", "/a/b%20c", "x=1&y"));
        assert_eq!(p.host_header(), "host.example:8443");
        let p = UrlParts::parse("https://h?x").unwrap();
        assert_eq!((p.authority, p.path, p.query), ("h", "", "x"));
        assert_eq!(UrlParts::parse("https://h:443/").unwrap().host_header(), "h");
        assert_eq!(UrlParts::parse("http://h:80/").unwrap().host_header(), "h");
        assert_eq!(UrlParts::parse("http://h:443/").unwrap().host_header(), "h:443");
        assert_eq!(UrlParts::parse("http://[::1]:9000/b").unwrap().host_header(), "[::1]:9000");
        for bad in
            ["", "h/p", "ftp://h/", "https:///p", "https://u@h/", "https://h/a b", "https://:80/", "https://h/\n"]
        {
            assert!(UrlParts::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn encodes_and_decodes() {
        assert_eq!(uri_encode("a b/ü~+=*", true), "a%20b/%C3%BC~%2B%3D%2A");
        assert_eq!(uri_encode("a b/ü~+=*", false), "a%20b%2F%C3%BC~%2B%3D%2A");
        assert_eq!(percent_decode("%41%zz%4%e2%82%ac+%"), b"A%zz%4\xe2\x82\xac+%".to_vec());
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/a%2fb//./c d/%7E"), "/a/b//./c%20d/~");
        assert_eq!(canonical_query("b=2&a&&a=1&c=x%3dy+z").unwrap(), "a=&a=1&b=2&c=x%3Dy%2Bz");
        assert_eq!(canonical_query(&"a&".repeat(MAX_SORTED_ITEMS)).unwrap().len(), 2 * MAX_SORTED_ITEMS + 255);
        assert_eq!(canonical_query(&"a&".repeat(MAX_SORTED_ITEMS + 1)), Err(SigV4Error::InvalidUrl));
    }
}
