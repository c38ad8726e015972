//! The two API generations and their hosts (docs/stackit-api.md, "API generations and hosts").

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum ApiVersion {
    /// Current (3.0.0): global host, region in the path only. The default.
    #[default]
    #[serde(rename = "v3")]
    V3,
    /// Deprecated but what STACKIT's import docs show: regional host, region in host and path.
    #[serde(rename = "v3alpha1")]
    V3alpha1,
}

impl ApiVersion {
    pub fn parse(text: &str) -> Option<ApiVersion> {
        match text {
            "v3" => Some(ApiVersion::V3),
            "v3alpha1" => Some(ApiVersion::V3alpha1),
            _ => None,
        }
    }

    /// The first path segment, e.g. `v3alpha1`.
    pub fn path_segment(self) -> &'static str {
        match self {
            ApiVersion::V3 => "v3",
            ApiVersion::V3alpha1 => "v3alpha1",
        }
    }

    /// The production base URL (v3: the OpenAPI `servers` entry; v3alpha1: `https://mssql-flex-service.api.{region}.stackit.cloud`).
    pub fn default_base_url(self, region: &str) -> String {
        match self {
            ApiVersion::V3 => "https://mssql-flex-service.api.stackit.cloud".to_owned(),
            ApiVersion::V3alpha1 => format!("https://mssql-flex-service.api.{region}.stackit.cloud"),
        }
    }
}
