//! URLs of the restore operations (docs/stackit-api.md, "Operations a restore client needs").
//! Paths are `/{version}/projects/{projectId}/regions/{region}/instances/{instanceId}/…`.

use crate::api::config::ClientConfig;
use crate::util::hex;

/// Percent-encodes one path segment: everything but RFC 3986 unreserved characters.
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            hex::push_upper(&mut out, byte);
        }
    }
    out
}

/// `…/instances/{instanceId}` followed by the given (already safe) suffix segments.
pub fn instance_url(config: &ClientConfig, instance_id: &str, suffix: &[&str]) -> String {
    let mut url = format!(
        "{}/{}/projects/{}/regions/{}/instances/{}",
        config.base_url,
        config.api_version.path_segment(),
        encode_segment(&config.project_id),
        encode_segment(&config.region),
        encode_segment(instance_id),
    );
    for segment in suffix {
        url.push('/');
        url.push_str(segment);
    }
    url
}

/// `POST …/instances/{instanceId}/restores`: import from S3 or restore from the managed backup.
pub fn restores_url(config: &ClientConfig, instance_id: &str) -> String {
    instance_url(config, instance_id, &["restores"])
}

/// Headers of an API request; the token is masked unless `reveal`. Content-Type only with a body.
pub fn api_headers(config: &ClientConfig, reveal: bool, with_body: bool) -> Vec<(String, String)> {
    let mut headers = vec![("accept".to_owned(), "application/json".to_owned())];
    if let Some(token) = &config.token {
        headers.push(("authorization".to_owned(), format!("Bearer {}", token.shown(reveal))));
    }
    if with_body {
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::version::ApiVersion;

    #[test]
    fn encodes_everything_outside_unreserved() {
        assert_eq!(encode_segment("ab-C_9.~"), "ab-C_9.~");
        assert_eq!(encode_segment("a/b?c#d e%"), "a%2Fb%3Fc%23d%20e%25");
        assert_eq!(encode_segment("ä"), "%C3%A4");
    }

    #[test]
    fn builds_restores_url_for_both_versions() {
        let mut config = ClientConfig {
            project_id: "p".into(),
            region: "eu01".into(),
            api_version: ApiVersion::V3,
            base_url: ApiVersion::V3.default_base_url("eu01"),
            token: None,
        };
        assert_eq!(
            restores_url(&config, "i"),
            "https://mssql-flex-service.api.stackit.cloud/v3/projects/p/regions/eu01/instances/i/restores"
        );
        config.api_version = ApiVersion::V3alpha1;
        config.base_url = ApiVersion::V3alpha1.default_base_url("eu01");
        assert_eq!(
            restores_url(&config, "i"),
            "https://mssql-flex-service.api.eu01.stackit.cloud/v3alpha1/projects/p/regions/eu01/instances/i/restores"
        );
    }
}
