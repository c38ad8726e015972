//! `GET …/instances/{instanceId}` (OpenAPI specs in pkg-template/emulator/openapi: `GetInstanceResponse`), normalized over the two API
//! generations.
//!
//! v3 and v3alpha1 differ only in (components.schemas.GetInstanceResponse):
//! - the lifecycle field: v3 `state` (schema `state`), v3alpha1 `status` (schema `status`); same
//!   enum `READY, PENDING, PROGRESSING, FAILURE, UNKNOWN, TERMINATING`, required in each;
//! - v3 has an optional `labels` map (schema `labels`), v3alpha1 none — not read here;
//! - descriptions only: `retentionDays` "30 to 90" (v3) vs "30 to 365" (v3alpha1), `acl` default.
//!
//! `version` is the plain string `instance.version` (enum `["2022"]`) in both, not the `version`
//! object of the versions endpoint.

use serde::Serialize;

use super::reader::{array, boolean, int32, integer, object, read_body, string, ObjectAt, ParseError};
use crate::api::version::ApiVersion;

/// Schema `GetInstanceResponse` of either version. Enum-typed fields stay strings so a value added
/// on the server does not break the client. `encryption` and `labels` are not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Instance {
    pub id: String,
    pub name: String,
    /// v3 `state` / v3alpha1 `status`, e.g. `READY`.
    pub state: String,
    pub flavor_id: String,
    /// `instance.edition`, e.g. `Standard`, `EnterpriseCore`, `developer`.
    pub edition: String,
    /// `replicas`: 1 or 3 in the spec.
    pub replicas: i32,
    /// `instance.version`, e.g. `2022`. Required by the schema, but read leniently: absence (or
    /// `null`) is `None`, because it only informs advice and must not block a restore.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `storage.class` (the `storage` object itself is required, its properties are not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
    /// `storage.size`, in gigabytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_size_gb: Option<i64>,
    pub backup_schedule: String,
    pub is_deletable: bool,
    pub retention_days: i32,
    pub network: Network,
}

/// Schema `instance.network` (no required properties).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Network {
    /// `PUBLIC` or `SNA`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_scope: Option<String>,
    /// IPv4 CIDRs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub router_address: Option<String>,
}

impl Instance {
    /// The only state in which the instance accepts a restore.
    pub const READY: &'static str = "READY";

    pub fn is_ready(&self) -> bool {
        self.state == Self::READY
    }
}

/// The property holding the instance's lifecycle state in `version`'s schema.
pub fn state_field(version: ApiVersion) -> &'static str {
    match version {
        ApiVersion::V3 => "state",
        ApiVersion::V3alpha1 => "status",
    }
}

/// Reads a 200 body of `GET …/instances/{instanceId}` as sent by API `version`.
pub fn parse_instance(body: &str, version: ApiVersion) -> Result<Instance, ParseError> {
    read_body(body, |o| instance(o, version))
}

fn instance(o: &ObjectAt<'_>, version: ApiVersion) -> Result<Instance, ParseError> {
    let storage = o.required("storage", object)?;
    Ok(Instance {
        id: o.required("id", string)?,
        name: o.required("name", string)?,
        state: o.required(state_field(version), string)?,
        flavor_id: o.required("flavorId", string)?,
        edition: o.required("edition", string)?,
        replicas: o.required("replicas", int32)?,
        version: o.optional("version", string)?,
        storage_class: storage.optional("class", string)?,
        storage_size_gb: storage.optional("size", integer)?,
        backup_schedule: o.required("backupSchedule", string)?,
        is_deletable: o.required("isDeletable", boolean)?,
        retention_days: o.required("retentionDays", int32)?,
        network: o.required("network", |v, p| network(&object(v, p)?))?,
    })
}

fn network(o: &ObjectAt<'_>) -> Result<Network, ParseError> {
    Ok(Network {
        access_scope: o.optional("accessScope", string)?,
        acl: o.optional("acl", |v, p| array(v, p, string))?,
        instance_address: o.optional("instanceAddress", string)?,
        router_address: o.optional("routerAddress", string)?,
    })
}
