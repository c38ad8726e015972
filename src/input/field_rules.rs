//! Checks of single fields, each rule with its source. Messages never echo secret values.

use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::reader::ObjectReader;
use crate::util::uuid::is_uuid;

/// STACKIT "create databases" docs: only `A–Z a–z 0–9 _`, at most 80 characters.
pub const DATABASE_NAME_MAX: usize = 80;
/// SQL Server's system databases: never restore targets, and a backup of one is no user database.
const SYSTEM_DATABASES: &[&str] = &["master", "model", "msdb", "tempdb"];
/// SQL Server `sysname` is nvarchar(128): the longest login name.
pub const OWNER_MAX: usize = 128;

/// `master`, `model`, `msdb` or `tempdb`, in any case.
pub fn is_system_database(name: &str) -> bool {
    SYSTEM_DATABASES.iter().any(|system| system.eq_ignore_ascii_case(name))
}

pub fn check_database_name(name: &str, at: &Location, issues: &mut Issues) {
    if name.is_empty() {
        issues.error(at, IssueCode::Required, "must not be empty");
        return;
    }
    let length = name.chars().count();
    if length > DATABASE_NAME_MAX {
        issues.error(
            at,
            IssueCode::TooLong,
            format!("has {length} characters; at most {DATABASE_NAME_MAX} are allowed"),
        );
    }
    if let Some((position, bad)) = name.chars().enumerate().find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_')) {
        issues.error(
            at,
            IssueCode::Format,
            format!("contains {} at position {position}; only A–Z, a–z, 0–9 and _ are allowed", describe(bad)),
        );
    }
    if is_system_database(name) {
        issues.error(
            at,
            IssueCode::ReservedName,
            format!("{name} is a SQL Server system database and cannot be a restore target"),
        );
    }
}

/// An existing login (docs/stackit-api.md): non-empty, a `sysname`, no control characters.
pub fn check_owner(owner: &str, at: &Location, issues: &mut Issues) {
    if owner.trim().is_empty() {
        issues.error(at, IssueCode::Required, "must name an existing login");
        return;
    }
    let length = owner.chars().count();
    if length > OWNER_MAX {
        issues.error(at, IssueCode::TooLong, format!("has {length} characters; logins have at most {OWNER_MAX}"));
    }
    if owner.chars().any(char::is_control) {
        issues.error(at, IssueCode::Format, "must not contain control characters");
    }
}

/// Access keys and secrets are opaque tokens: non-empty, no whitespace. Never quote the value.
pub fn check_credential(value: &str, at: &Location, issues: &mut Issues) {
    if value.is_empty() {
        issues.error(at, IssueCode::Required, "must not be empty");
    } else if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        issues.error(
            at,
            IssueCode::Format,
            "must not contain whitespace or control characters (check for a pasted newline)",
        );
    }
}

/// `logging_guid` is free text in the spec ("1" in the docs); keep it printable.
pub fn check_logging_guid(value: &str, at: &Location, issues: &mut Issues) {
    if value.trim().is_empty() {
        issues.error(at, IssueCode::Required, "must not be empty when given (omit it to generate one)");
    } else if value.chars().any(char::is_control) {
        issues.error(at, IssueCode::Format, "must not contain control characters");
    }
}

fn describe(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("'{c}'")
    }
}

/// STACKIT ids (project, instance) are UUIDs.
pub fn check_uuid(value: &str, at: &Location, issues: &mut Issues) {
    if !is_uuid(value) {
        issues.error(at, IssueCode::Format, "must be a UUID like 8-4-4-4-12 hex digits");
    }
}

/// `instanceId` (at `/instanceId`): required, a UUID. Every instance-scoped request and the client's
/// own checks read it so.
pub fn read_instance_id(root: &ObjectReader<'_>, issues: &mut Issues) -> Option<String> {
    let at = Location::new("instanceId", "/instanceId");
    let id = root.required_string("instanceId", &at, issues)?;
    check_uuid(&id, &at, issues);
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(check: fn(&str, &Location, &mut Issues), value: &str) -> Vec<IssueCode> {
        let mut issues = Issues::default();
        check(value, &Location::new("f", "/f"), &mut issues);
        issues.errors.iter().map(|i| i.code).collect()
    }

    #[test]
    fn database_names() {
        use IssueCode::*;
        let long = "a".repeat(81);
        let table: &[(&str, &[IssueCode])] = &[
            ("sales", &[]),
            ("Sales_2024", &[]),
            (&long[..80], &[]),
            (&long, &[TooLong]),
            ("", &[Required]),
            ("my-db", &[Format]),
            ("my db", &[Format]),
            ("dätabase", &[Format]),
            ("db\u{0}", &[Format]),
            ("📦", &[Format]),
            ("master", &[ReservedName]),
            ("TempDB", &[ReservedName]),
            ("msdb_copy", &[]),
        ];
        for (name, expected) in table {
            assert_eq!(codes(check_database_name, name), *expected, "{name:?}");
        }
    }

    #[test]
    fn too_long_counts_characters_not_bytes() {
        assert_eq!(codes(check_database_name, &"é".repeat(81)), vec![IssueCode::TooLong, IssueCode::Format]);
        assert_eq!(codes(check_owner, &"é".repeat(128)), vec![]);
        assert_eq!(codes(check_owner, &"é".repeat(129)), vec![IssueCode::TooLong]);
    }

    #[test]
    fn owners_and_credentials() {
        assert_eq!(codes(check_owner, "dbo_owner"), vec![]);
        assert_eq!(codes(check_owner, "DOMAIN\\user name"), vec![]);
        assert_eq!(codes(check_owner, "  "), vec![IssueCode::Required]);
        assert_eq!(codes(check_owner, "a\nb"), vec![IssueCode::Format]);
        assert_eq!(codes(check_credential, "AKIA123"), vec![]);
        assert_eq!(codes(check_credential, ""), vec![IssueCode::Required]);
        assert_eq!(codes(check_credential, "secret\n"), vec![IssueCode::Format]);
    }

    #[test]
    fn messages_never_quote_credentials() {
        let mut issues = Issues::default();
        check_credential("top secret", &Location::new("f", "/f"), &mut issues);
        assert!(!format!("{issues:?}").contains("top secret"));
    }

    #[test]
    fn uuids_are_checked_with_one_message() {
        let at = Location::new("projectId", "/projectId");
        let mut issues = Issues::default();
        check_uuid("df727477-8991-486c-a3ed-d11d9d9beb1c", &at, &mut issues);
        assert!(issues.errors.is_empty());
        check_uuid("nope", &at, &mut issues);
        let errors: Vec<_> = issues.errors.iter().map(|i| (i.path.as_str(), i.code, i.message.as_str())).collect();
        assert_eq!(errors, vec![("/projectId", IssueCode::Format, "must be a UUID like 8-4-4-4-12 hex digits")]);
    }

    #[test]
    fn instance_ids_are_required_uuids() {
        let read = |value: serde_json::Value| {
            let mut issues = Issues::default();
            let root = ObjectReader::new(Some(&value), Location::new("", ""), &mut issues);
            let id = read_instance_id(&root, &mut issues);
            (id, issues.errors.iter().map(|i| (i.path.clone(), i.code)).collect::<Vec<_>>())
        };
        let id = "df727477-8991-486c-a3ed-d11d9d9beb1c";
        assert_eq!(read(serde_json::json!({ "instanceId": id })), (Some(id.to_owned()), vec![]));
        assert_eq!(read(serde_json::json!({})), (None, vec![("/instanceId".to_owned(), IssueCode::Required)]));
        assert_eq!(
            read(serde_json::json!({ "instanceId": "x" })),
            (Some("x".to_owned()), vec![("/instanceId".to_owned(), IssueCode::Format)])
        );
    }
}
