//! When a cached access token must be replaced.
//!
//! STACKIT: treat the access token as expired 5 s before its `exp`; an earlier SDK bug sent
//! near-expiry tokens and got 401 (docs/stackit-api.md, "Authentication").

/// How long before its expiry a token counts as expired.
pub const TOKEN_EXPIRY_SKEW_MS: i64 = 5_000;

/// Whether a token expiring at `expires_at_ms` must be replaced before a request sent at `now_ms`.
pub fn token_needs_refresh(expires_at_ms: i64, now_ms: i64) -> bool {
    now_ms >= expires_at_ms.saturating_sub(TOKEN_EXPIRY_SKEW_MS)
}

/// When a token issued at `now_ms` with the token response's `expires_in` (seconds) expires.
/// A negative `expires_in` counts as 0 (already expired).
pub fn token_expires_at_ms(now_ms: i64, expires_in_seconds: i64) -> i64 {
    now_ms.saturating_add(expires_in_seconds.max(0).saturating_mul(1_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_five_seconds_early() {
        let expires = token_expires_at_ms(1_000_000, 600);
        assert_eq!(expires, 1_600_000);
        assert!(!token_needs_refresh(expires, 1_594_999));
        assert!(token_needs_refresh(expires, 1_595_000));
        assert!(token_needs_refresh(expires, 1_700_000));
    }

    #[test]
    fn extremes_do_not_overflow() {
        assert_eq!(token_expires_at_ms(i64::MAX, 600), i64::MAX);
        assert_eq!(token_expires_at_ms(0, -5), 0);
        assert!(token_needs_refresh(i64::MIN, 0));
        assert_eq!(token_expires_at_ms(0, i64::MAX), i64::MAX);
    }
}
