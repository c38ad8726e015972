//! The service-account key flow (docs/stackit-api.md, "Authentication"): read the key JSON,
//! build the RS512 JWT assertion (signed by the bindings with WebCrypto), the token request body,
//! and read the token response. Private keys and tokens stay in `Secret`s.

use serde_json::{json, Value};

use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::reader::ObjectReader;
use crate::util::base64;
use crate::util::secret::{Secret, SecretBytes};

/// STACKIT's token endpoint (overridable by `STACKIT_TOKEN_BASEURL` or the key's `tokenEndpoint`).
pub const DEFAULT_TOKEN_ENDPOINT: &str = "https://service-account.api.stackit.cloud/token";
/// The assertion's lifetime: `exp = iat + 600 s`.
pub const ASSERTION_LIFETIME_SECONDS: i64 = 600;
/// RFC 7523 grant type for a JWT bearer assertion.
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// The `credentials` part of a service-account key `{id, publicKey, credentials: {aud, iss, kid, sub, privateKey?}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceAccountKey {
    pub kid: String,
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub private_key: Option<Secret>,
    pub token_endpoint: Option<String>,
}

impl ServiceAccountKey {
    /// Reads a key given as a JSON object or as its JSON text. `at` names the option (e.g. `serviceAccountKey`).
    pub fn from_input(value: &Value, at: &Location, issues: &mut Issues) -> Option<ServiceAccountKey> {
        let parsed;
        let value = match value {
            Value::String(text) => match serde_json::from_str::<Value>(text) {
                Ok(v) => {
                    parsed = v;
                    &parsed
                }
                Err(_) => {
                    // Never echo the text: it holds the private key.
                    issues.error(at, IssueCode::Format, "must be the service-account key JSON (object or JSON text)");
                    return None;
                }
            },
            other => other,
        };
        let root = ObjectReader::new(Some(value), at.clone(), issues);
        let credentials_at = at.child("credentials", "credentials");
        if root.raw("credentials").is_none() {
            issues.error(&credentials_at, IssueCode::Required, "is required (the key JSON from the STACKIT portal)");
            return None;
        }
        let credentials = ObjectReader::new(root.raw("credentials"), credentials_at.clone(), issues);
        let field = |name: &str| credentials_at.child(name, name);
        let text = |name: &str, issues: &mut Issues| {
            let value = credentials.required_string(name, &field(name), issues)?;
            if value.trim().is_empty() {
                issues.error(&field(name), IssueCode::Required, "must not be empty");
            }
            Some(value)
        };
        let kid = text("kid", issues);
        let iss = text("iss", issues);
        let sub = text("sub", issues);
        let aud = text("aud", issues);
        let private_key = credentials.optional_string("privateKey", &field("privateKey"), issues).map(Secret::new);
        let token_endpoint = credentials.optional_string("tokenEndpoint", &field("tokenEndpoint"), issues);
        Some(ServiceAccountKey { kid: kid?, iss: iss?, sub: sub?, aud: aud?, private_key, token_endpoint })
    }

    /// `base64url(header).base64url(claims)`: what WebCrypto signs with RSASSA-PKCS1-v1_5 / SHA-512.
    pub fn signing_input(&self, now_seconds: i64, jti: &str) -> String {
        let header = json!({"alg": "RS512", "typ": "JWT", "kid": self.kid});
        let claims = json!({
            "iss": self.iss,
            "sub": self.sub,
            "aud": self.aud,
            "jti": jti,
            "iat": now_seconds,
            "exp": now_seconds.saturating_add(ASSERTION_LIFETIME_SECONDS),
        });
        format!(
            "{}.{}",
            base64::encode_url(header.to_string().as_bytes()),
            base64::encode_url(claims.to_string().as_bytes())
        )
    }
}

/// The signed JWT: `signing_input.base64url(signature)`.
pub fn assemble_jwt(signing_input: &str, signature: &[u8]) -> Secret {
    Secret::new(format!("{signing_input}.{}", base64::encode_url(signature)))
}

/// `application/x-www-form-urlencoded` body of the token request (the assertion is a secret).
pub fn token_request_body(assertion: &Secret) -> Secret {
    // base64url text needs no form encoding; the grant type's ':' is encoded.
    Secret::new(format!("grant_type={}&assertion={}", GRANT_TYPE.replace(':', "%3A"), assertion.expose()))
}

/// A token endpoint answer `{access_token, expires_in, …}`.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessToken {
    pub token: Secret,
    pub expires_in_seconds: i64,
}

/// Reads the token response; on failure a message safe to show (never the body's token fields).
pub fn parse_token_response(body: &str) -> Result<AccessToken, String> {
    let value: Value = serde_json::from_str(body).map_err(|_| "the token endpoint's answer is not JSON".to_owned())?;
    let token = value.get("access_token").and_then(Value::as_str).filter(|t| !t.is_empty());
    let token = token.ok_or_else(|| "the token endpoint's answer has no access_token".to_owned())?;
    // Without expires_in, assume a short life so the token is renewed soon rather than used stale.
    let expires_in_seconds = value.get("expires_in").and_then(Value::as_i64).filter(|s| *s > 0).unwrap_or(60);
    Ok(AccessToken { token: Secret::new(token), expires_in_seconds })
}

/// The human message of a token endpoint error body (`error_description`, `message` or `error`).
pub fn token_error_message(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    ["error_description", "message", "error"]
        .iter()
        .find_map(|k| value.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()))
        .map(|s| s.chars().take(300).collect())
}

/// A PEM private key as PKCS#8 DER, the form WebCrypto imports. `BEGIN PRIVATE KEY` is PKCS#8
/// already; `BEGIN RSA PRIVATE KEY` (PKCS#1) is wrapped into a PKCS#8 `PrivateKeyInfo` (RFC 5208).
pub fn pkcs8_from_pem(pem: &str) -> Result<SecretBytes, &'static str> {
    let (label, body) = pem_body(pem).ok_or("is not a PEM private key (-----BEGIN PRIVATE KEY-----)")?;
    let der = base64::decode(body).ok_or("has a PEM body that is not base64")?;
    match label {
        "PRIVATE KEY" => Ok(SecretBytes::new(der)),
        "RSA PRIVATE KEY" => Ok(SecretBytes::new(wrap_pkcs1(&der))),
        "ENCRYPTED PRIVATE KEY" => Err("is encrypted; give the unencrypted key"),
        _ => Err("is not an RSA private key"),
    }
}

fn pem_body(pem: &str) -> Option<(&str, &str)> {
    let start = pem.find("-----BEGIN ")?;
    let rest = pem.get(start.saturating_add(11)..)?;
    let label_end = rest.find("-----")?;
    let label = rest.get(..label_end)?;
    let body_and_end = rest.get(label_end.saturating_add(5)..)?;
    let body_end = body_and_end.find("-----END ")?;
    Some((label, body_and_end.get(..body_end)?))
}

/// `SEQUENCE { INTEGER 0, SEQUENCE { OID rsaEncryption, NULL }, OCTET STRING pkcs1 }`.
fn wrap_pkcs1(pkcs1: &[u8]) -> Vec<u8> {
    const VERSION: [u8; 3] = [0x02, 0x01, 0x00];
    const RSA_ALGORITHM: [u8; 15] =
        [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
    let mut octets = vec![0x04];
    octets.extend(der_length(pkcs1.len()));
    octets.extend_from_slice(pkcs1);
    let content_len = VERSION.len().saturating_add(RSA_ALGORITHM.len()).saturating_add(octets.len());
    let mut out = vec![0x30];
    out.extend(der_length(content_len));
    out.extend_from_slice(&VERSION);
    out.extend_from_slice(&RSA_ALGORITHM);
    out.extend(octets);
    out
}

fn der_length(len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![len as u8];
    }
    let bytes: Vec<u8> = len.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
    let mut out = vec![0x80 | bytes.len() as u8];
    out.extend(bytes);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_json() -> Value {
        json!({"id": "k1", "publicKey": "…", "credentials": {
            "kid": "kid-1", "iss": "sa@sa.stackit.cloud", "sub": "sub-uuid", "aud": "https://stackit-service-account-prod.apps.01.cf.eu01.stackit.cloud",
            "privateKey": "-----BEGIN PRIVATE KEY-----\nAAEC\n-----END PRIVATE KEY-----\n"}})
    }

    #[test]
    fn reads_the_key_as_object_or_text_and_never_echoes_it() {
        let at = Location::new("serviceAccountKey", "/serviceAccountKey");
        let mut issues = Issues::default();
        let key = ServiceAccountKey::from_input(&key_json(), &at, &mut issues).unwrap();
        assert_eq!(key.kid, "kid-1");
        let text = Value::String(key_json().to_string());
        assert_eq!(ServiceAccountKey::from_input(&text, &at, &mut issues), Some(key.clone()));
        assert!(issues.errors.is_empty());
        assert!(!format!("{key:?}").contains("BEGIN PRIVATE KEY"));

        let broken = Value::String("{\"credentials\": -----BEGIN PRIVATE KEY----- secret".into());
        assert!(ServiceAccountKey::from_input(&broken, &at, &mut issues).is_none());
        assert!(!format!("{issues:?}").contains("secret"));
    }

    #[test]
    fn reports_missing_credentials_fields_with_paths() {
        let mut issues = Issues::default();
        let at = Location::new("serviceAccountKey", "/serviceAccountKey");
        assert!(
            ServiceAccountKey::from_input(&json!({"credentials": {"kid": "k", "iss": 5}}), &at, &mut issues).is_none()
        );
        let paths: Vec<&str> = issues.errors.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/serviceAccountKey/credentials/iss",
                "/serviceAccountKey/credentials/sub",
                "/serviceAccountKey/credentials/aud"
            ]
        );
    }

    #[test]
    fn builds_the_rs512_signing_input() {
        let mut issues = Issues::default();
        let at = Location::new("k", "/k");
        let key = ServiceAccountKey::from_input(&key_json(), &at, &mut issues).unwrap();
        let input = key.signing_input(1_700_000_000, "jti-1");
        let (header, claims) = input.split_once('.').unwrap();
        let header: Value = serde_json::from_slice(&base64::decode(header).unwrap()).unwrap();
        let claims: Value = serde_json::from_slice(&base64::decode(claims).unwrap()).unwrap();
        assert_eq!(header, json!({"alg": "RS512", "typ": "JWT", "kid": "kid-1"}));
        assert_eq!(claims["iat"], 1_700_000_000);
        assert_eq!(claims["exp"], 1_700_000_600);
        assert_eq!(claims["jti"], "jti-1");
        assert_eq!(claims["iss"], "sa@sa.stackit.cloud");
        assert_eq!(claims["aud"], "https://stackit-service-account-prod.apps.01.cf.eu01.stackit.cloud");
        let jwt = assemble_jwt(&input, &[1, 2, 3]);
        assert!(jwt.expose().ends_with(".AQID"));
        assert_eq!(format!("{jwt:?}"), "***");
    }

    #[test]
    fn token_body_and_response() {
        let body = token_request_body(&Secret::new("a.b.c"));
        assert_eq!(body.expose(), "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=a.b.c");
        let token = parse_token_response(r#"{"access_token":"tok","expires_in":3600,"token_type":"Bearer"}"#).unwrap();
        assert_eq!((token.token.expose(), token.expires_in_seconds), ("tok", 3600));
        assert!(parse_token_response("{}").is_err());
        assert!(parse_token_response("nope").is_err());
        assert_eq!(
            token_error_message(r#"{"error":"invalid_grant","error_description":"bad sig"}"#).as_deref(),
            Some("bad sig")
        );
    }

    #[test]
    fn pem_to_pkcs8() {
        let pkcs8 = pkcs8_from_pem("-----BEGIN PRIVATE KEY-----\nAAEC\n-----END PRIVATE KEY-----").unwrap();
        assert_eq!(pkcs8.expose(), &[0, 1, 2]);
        let wrapped = pkcs8_from_pem("-----BEGIN RSA PRIVATE KEY-----\nAAEC\n-----END RSA PRIVATE KEY-----").unwrap();
        assert_eq!(
            wrapped.expose(),
            &[
                0x30, 0x17, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00, 0x04, 0x03, 0, 1, 2
            ]
        );
        assert_eq!(der_length(300), vec![0x82, 0x01, 0x2c]);
        assert!(pkcs8_from_pem("not a key").is_err());
        assert!(
            pkcs8_from_pem("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA\n-----END ENCRYPTED PRIVATE KEY-----").is_err()
        );
    }
}
