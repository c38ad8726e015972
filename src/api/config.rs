//! Client settings from JS (`{ projectId, region, token?, apiVersion?, baseUrl? }`), checked field by field.

use serde_json::Value;

use crate::api::version::ApiVersion;
use crate::http::url::check_secure_url;
use crate::input::field_rules::check_uuid;
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::reader::ObjectReader;
use crate::util::secret::Secret;

#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    pub project_id: String,
    pub region: String,
    pub api_version: ApiVersion,
    /// Without trailing slash. The production host of `api_version` unless overridden (e.g. the emulator).
    pub base_url: String,
    pub token: Option<Secret>,
}

/// Regions the specs name: v3's `region` enum has `eu01`; `eu02` exists for older generations
/// (docs/stackit-api.md, "Rules a client can check").
const KNOWN_REGIONS: &[&str] = &["eu01"];

impl ClientConfig {
    pub fn from_input(value: &Value, issues: &mut Issues) -> Option<ClientConfig> {
        let root = ObjectReader::new(Some(value), Location::new("", ""), issues);
        let at = |name: &str| Location::new(name, format!("/{name}"));

        let project_id = root.required_string("projectId", &at("projectId"), issues);
        if let Some(id) = &project_id {
            check_uuid(id, &at("projectId"), issues);
        }

        let api_version = match root.optional_string("apiVersion", &at("apiVersion"), issues) {
            None => ApiVersion::default(),
            Some(text) => ApiVersion::parse(&text).unwrap_or_else(|| {
                issues.error(&at("apiVersion"), IssueCode::Unknown, "must be \"v3\" or \"v3alpha1\"");
                ApiVersion::default()
            }),
        };

        let region = root.required_string("region", &at("region"), issues);
        if let Some(region) = &region {
            check_region(region, api_version, &at("region"), issues);
        }

        let base_url = match root.optional_string("baseUrl", &at("baseUrl"), issues) {
            Some(url) => check_base_url(&url, &at("baseUrl"), issues),
            None => region.as_deref().map(|r| api_version.default_base_url(r)),
        };

        let token = match root.raw("token") {
            None => None,
            Some(_) => root.required_secret("token", &at("token"), issues),
        };
        if token.as_ref().is_some_and(Secret::is_empty) {
            issues.error(&at("token"), IssueCode::Required, "must not be empty");
        }

        Some(ClientConfig { project_id: project_id?, region: region?, api_version, base_url: base_url?, token })
    }
}

fn check_region(region: &str, version: ApiVersion, at: &Location, issues: &mut Issues) {
    let shaped = region.len() == 4
        && region.bytes().take(2).all(|b| b.is_ascii_lowercase())
        && region.bytes().skip(2).all(|b| b.is_ascii_digit());
    if !shaped {
        issues.error(at, IssueCode::Format, "must be a STACKIT region like \"eu01\"");
    } else if !KNOWN_REGIONS.contains(&region) {
        let note = if region == "eu02" && version == ApiVersion::V3 {
            "eu02 is not in the v3 spec's region list (eu01); it may be rejected"
        } else {
            "is not a region the API specs list (eu01); check it exists"
        };
        issues.warning(at, IssueCode::Unknown, note);
    }
}

/// `https://` anywhere; plain `http://` only to loopback (the local emulator), so tokens never travel
/// in clear text over a network.
fn check_base_url(url: &str, at: &Location, issues: &mut Issues) -> Option<String> {
    let trimmed = url.trim_end_matches('/');
    check_secure_url(trimmed, at, issues).then(|| trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(v: Value) -> (Option<ClientConfig>, Issues) {
        let mut issues = Issues::default();
        (ClientConfig::from_input(&v, &mut issues), issues)
    }

    #[test]
    fn defaults_to_v3_global_host() {
        let (cfg, issues) = read(json!({"projectId": "df727477-8991-486c-a3ed-d11d9d9beb1c", "region": "eu01"}));
        assert_eq!(issues, Issues::default());
        let cfg = cfg.unwrap();
        assert_eq!(cfg.api_version, ApiVersion::V3);
        assert_eq!(cfg.base_url, "https://mssql-flex-service.api.stackit.cloud");
    }

    #[test]
    fn v3alpha1_uses_the_regional_host() {
        let (cfg, _) = read(
            json!({"projectId": "df727477-8991-486c-a3ed-d11d9d9beb1c", "region": "eu01", "apiVersion": "v3alpha1"}),
        );
        assert_eq!(cfg.map(|c| c.base_url).as_deref(), Some("https://mssql-flex-service.api.eu01.stackit.cloud"));
    }

    #[test]
    fn base_url_must_be_https_unless_loopback() {
        for (url, ok) in [
            ("https://example.com/", true),
            ("http://127.0.0.1:8787", true),
            ("http://localhost:1", true),
            ("http://[::1]:9/", true),
            ("http://example.com", false),
            ("http://127.0.0.1.evil.com", false),
            ("ftp://127.0.0.1", false),
            ("example.com", false),
        ] {
            let (_, issues) =
                read(json!({"projectId": "df727477-8991-486c-a3ed-d11d9d9beb1c", "region": "eu01", "baseUrl": url}));
            assert_eq!(issues.errors.is_empty(), ok, "{url}: {issues:?}");
        }
    }

    #[test]
    fn reports_every_problem_with_its_path() {
        let (cfg, issues) = read(json!({"projectId": "nope", "region": 5, "apiVersion": "v9", "token": ""}));
        assert!(cfg.is_none());
        let paths: Vec<_> = issues.errors.iter().map(|i| (i.path.as_str(), i.code)).collect();
        assert_eq!(
            paths,
            vec![
                ("/projectId", IssueCode::Format),
                ("/apiVersion", IssueCode::Unknown),
                ("/region", IssueCode::Type),
                ("/token", IssueCode::Required)
            ]
        );
    }

    #[test]
    fn unknown_but_well_formed_region_is_a_warning() {
        let (cfg, issues) = read(json!({"projectId": "df727477-8991-486c-a3ed-d11d9d9beb1c", "region": "eu02"}));
        assert!(cfg.is_some());
        assert!(issues.errors.is_empty());
        assert_eq!(issues.warnings.len(), 1);
    }
}
