//! The URL rules of every request that carries credentials: `https://`, or plain `http://` to this
//! machine only (the local emulator), so keys and tokens never travel in clear text over a network.

use crate::input::issue::{IssueCode, Issues, Location};

/// The rule for every URL that receives credentials (API base, token endpoint): an absolute URL with
/// a host, `https://`, or `http://` to loopback only. Problems go to `issues`.
pub fn check_secure_url(url: &str, at: &Location, issues: &mut Issues) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        issues.error(at, IssueCode::Format, "must be an absolute URL like https://host");
        return false;
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let host = host_of(authority);
    if host.is_empty() {
        issues.error(at, IssueCode::Format, "must name a host");
        return false;
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" if is_loopback(host) => true,
        "http" => {
            issues.error(at, IssueCode::Insecure, "must use https:// (http:// is allowed only for loopback)");
            false
        }
        _ => {
            issues.error(at, IssueCode::Format, "must be an http(s) URL");
            false
        }
    }
}

/// The host of `host[:port]` or `[v6]:port`, without userinfo.
fn host_of(authority: &str) -> &str {
    let without_user = authority.rsplit('@').next().unwrap_or(authority);
    if let Some(v6) = without_user.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default();
    }
    without_user.split(':').next().unwrap_or_default()
}

pub fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host == "::1" {
        return true;
    }
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets.first() == Some(&"127")
        && octets.iter().all(|o| !o.is_empty() && o.len() <= 3 && o.bytes().all(|b| b.is_ascii_digit()))
}

/// `host:port` → `host`, `[::1]:9000` → `[::1]`.
pub fn strip_port(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.find(']').and_then(|end| authority.get(..=end)).unwrap_or(authority);
    }
    authority.rsplit_once(':').map_or(authority, |(host, _)| host)
}

/// `host[:port]` names this machine: plain `http://` is acceptable only there.
pub fn is_loopback_authority(authority: &str) -> bool {
    let host = strip_port(authority);
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    is_loopback(host)
}
