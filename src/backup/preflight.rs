//! Judging a backup set from what the first bytes of each object told (`crate::backup::mtf`), before a long
//! asynchronous restore can fail: findings with stable codes, a verdict, the corrected stripe order,
//! and discovery of the newest complete full backup set under a prefix. Pure: the bindings read S3.

use serde::Serialize;

use crate::backup::mtf::{BackupHeader, BackupKind, BackupType, Filemarks, ProblemCode, OLDEST_RESTORABLE_VERSION};
use crate::input::field_rules::is_system_database;
use crate::util::sort::sort_small;

/// What reading one object gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Probe {
    /// The ranged GET of the first bytes worked: size, ETag (as S3 sent it, unquoted), the parsed
    /// header, the read of the last bytes when one was made, and the headers of the later backup
    /// sets that read listed (position 2 on).
    Read {
        size: Option<u64>,
        etag: Option<String>,
        header: Box<BackupHeader>,
        tail: Option<TailProbe>,
        later_sets: Vec<SetProbe>,
    },
    /// 404 (`NoSuchKey` / `NoSuchBucket`).
    Missing,
    /// 403: wrong keys, signature or policy.
    AccessDenied { message: String },
    /// Anything else (network, CORS, 5xx) — `message` says what.
    Failed { message: String },
}

/// A later backup set of a file holding several (`BACKUP … WITH NOINIT` appends), read at its `SSET`.
#[derive(Debug, Clone, PartialEq)]
pub struct SetProbe {
    /// 2 for the second set in the file, …
    pub position: u32,
    /// Where its `SSET` starts in the file.
    pub offset: u64,
    /// Its header, or why it could not be read.
    pub header: Result<Box<BackupHeader>, String>,
}

/// What reading the last bytes of an object gave (`tail`, on by default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TailProbe {
    /// Bytes received.
    pub bytes: u64,
    /// The object's size as this read saw it (`Content-Range`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// Where the `ESET` end-of-set block starts, from the object's start (`mtf::end_of_set_offset`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_of_set_offset: Option<u64>,
    /// The filemark table of the file's last `SFMB` (`mtf::filemarks`): how many backup sets it holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filemarks: Option<Filemarks>,
    /// Why the read failed; the other fields are then empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl SetProbe {
    /// A later set read from `bytes`, which start at its `offset`; `first` is the file's first set
    /// (compressed or not, and the filemark size, hold for the whole file).
    pub fn read(position: u32, offset: u64, bytes: &[u8], first: &BackupHeader) -> SetProbe {
        let header = crate::backup::mtf::inspect_set(bytes, first.compressed, first.filemark_size);
        SetProbe { position, offset, header: Ok(Box::new(header)) }
    }
}

impl TailProbe {
    /// The last bytes of an object, which start at `start` in it (`size` and `etag` as this read saw them).
    pub fn read(bytes: &[u8], start: u64, size: Option<u64>, etag: Option<String>) -> TailProbe {
        TailProbe {
            bytes: bytes.len() as u64,
            size,
            etag,
            end_of_set_offset: crate::backup::mtf::end_of_set_offset(bytes).map(|at| start.saturating_add(at as u64)),
            filemarks: crate::backup::mtf::filemarks(bytes),
            error: None,
        }
    }

    pub fn failed(error: String) -> TailProbe {
        TailProbe { bytes: 0, size: None, etag: None, end_of_set_offset: None, filemarks: None, error: Some(error) }
    }

    /// `(position, offset)` of each backup set after the first that the filemark table lists, for a
    /// file whose first set is `first`.
    pub fn later_set_starts(&self, first: &BackupHeader) -> Vec<(u32, u64)> {
        match (&self.filemarks, first.filemark_size) {
            (Some(marks), Some(size)) => (1u32..).zip(marks.set_starts(size)).skip(1).collect(),
            _ => Vec::new(),
        }
    }
}

/// One object of the set, as listed by the user (`number` = the `file_number` given) or discovered.
#[derive(Debug, Clone, PartialEq)]
pub struct FileProbe {
    pub path: String,
    pub number: Option<i32>,
    pub probe: Probe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    Warning,
    Error,
}

/// Stable finding codes; the README lists each with its meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FindingCode {
    ObjectMissing,
    AccessDenied,
    ReadFailed,
    NotSqlBackup,
    EncryptedOrUnreadable,
    Encrypted,
    Compressed,
    PasswordProtected,
    LogBackup,
    DifferentialWithoutFull,
    MixedMediaSets,
    StripeMissing,
    StripeDuplicate,
    FileOrderCorrected,
    DatabaseNameDiffers,
    HeaderDamaged,
    UnknownBackupType,
    EndOfSetMissing,
    ObjectChanged,
    MultipleBackupSets,
    BackupTooOld,
    SystemDatabase,
    // The instance checks (`crate::backup::instance_check`).
    InstanceNotFound,
    InstanceNotReady,
    DatabaseExists,
    OwnerNotFound,
    OwnerNotReady,
    RestoreAlreadyRunning,
    BackupNewerThanInstance,
    StorageTooSmall,
    MissingPermission,
    CheckFailed,
}

impl FindingCode {
    /// The stable code as the JSON report writes it (`STRIPE_MISSING`).
    pub fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => name,
            _ => String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
    pub message: String,
    /// The object it is about, when it is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// Per object: what was read, and its place in the stripe set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileReport {
    pub path: String,
    pub number: Option<i32>,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<BackupHeader>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tail: Option<TailProbe>,
    /// What a restore of this file's backup allocates (`mtf::BackupHeader::restore_size`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore_size: Option<u64>,
    /// Every backup set in the file, oldest (the one a restore takes) first, when the tail told how
    /// many there are.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backup_sets: Vec<BackupSetSummary>,
}

/// One backup set of a file, like a row of `RESTORE HEADERONLY`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupSetSummary {
    /// 1 = the oldest, the one a restore without `FILE =` (and so an import) takes.
    pub position: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_type: Option<BackupType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_version: Option<u16>,
    /// Why this set's header could not be read (past the sets read, or a failed read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl BackupSetSummary {
    fn of(position: u32, header: &BackupHeader) -> Self {
        BackupSetSummary {
            position,
            backup_type: header.backup_type,
            database_name: header.database_name.clone(),
            backup_date: header.backup_date.clone(),
            backup_name: header.backup_name.clone(),
            database_version: header.database_version,
            error: None,
        }
    }

    fn unread(position: u32, error: String) -> Self {
        BackupSetSummary {
            position,
            backup_type: None,
            database_name: None,
            backup_date: None,
            backup_name: None,
            database_version: None,
            error: Some(error),
        }
    }

    /// "a full backup of 2024-03-01T08:00:00" — for messages.
    fn describe(&self) -> String {
        let kind = match self.backup_type {
            Some(BackupType::Full) => "a full backup",
            Some(BackupType::Differential) => "a differential backup",
            Some(BackupType::Log) => "a log backup",
            None => "a backup of unknown type",
        };
        match &self.backup_date {
            Some(date) => format!("{kind} of {date}"),
            None => kind.to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    pub files: Vec<FileReport>,
    /// `s3_files` in family order (1..N), when the set is complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files_in_order: Option<Vec<OrderedFile>>,
    pub total_size: u64,
    /// The backup's database version (for the instance check: newer than the instance can read?).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_version: Option<u16>,
    /// What the restore allocates: the total size of the database files the header lists, when
    /// every size is known (`mtf::BackupHeader::restore_size`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore_size: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderedFile {
    pub number: i32,
    pub path: String,
}

impl Report {
    /// The report with `extra` findings (the instance checks) added; the verdict covers them all. An
    /// extra finding replaces the backup's own of the same code: the instance knows better (its
    /// version, for `BACKUP_TOO_OLD`).
    pub fn with_findings(mut self, extra: Vec<Finding>) -> Report {
        self.findings.retain(|f| !extra.iter().any(|e| e.code == f.code));
        self.findings.extend(extra);
        self.verdict = verdict_of(&self.findings);
        self
    }
}

/// Why a checked restore or upload does not go on: the error findings. The one rule, for the upload,
/// the client's import and the CLI: a report with an error finding refuses, unless forced. Each
/// caller words its own message from `count`, `codes` or `problems`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `(code, message)` of each error finding, in report order.
    pub errors: Vec<(String, String)>,
}

impl Refusal {
    /// The refusal of findings given as `(severity, code, message)` (also as JS hands a report
    /// back): `None` when none is an error, or when `force`.
    pub fn of<C: Into<String>, M: Into<String>>(
        findings: impl IntoIterator<Item = (Severity, C, M)>,
        force: bool,
    ) -> Option<Refusal> {
        if force {
            return None;
        }
        let errors: Vec<(String, String)> = findings
            .into_iter()
            .filter(|(severity, _, _)| *severity == Severity::Error)
            .map(|(_, code, message)| (code.into(), message.into()))
            .collect();
        (!errors.is_empty()).then_some(Refusal { errors })
    }

    /// How many error findings refuse.
    pub fn count(&self) -> usize {
        self.errors.len()
    }

    /// Their codes: `STRIPE_MISSING, ENCRYPTED`.
    pub fn codes(&self) -> String {
        self.errors.iter().map(|(code, _)| code.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// Codes and messages: `STRIPE_MISSING: …; ENCRYPTED: …`.
    pub fn problems(&self) -> String {
        self.errors.iter().map(|(code, message)| format!("{code}: {message}")).collect::<Vec<_>>().join("; ")
    }
}

impl Report {
    /// Whether this report refuses to go on (it has an error finding, i.e. its verdict is `error`)
    /// unless `force`; see [`Refusal`].
    pub fn refusal(&self, force: bool) -> Option<Refusal> {
        Refusal::of(self.findings.iter().map(|f| (f.severity, f.code.name(), f.message.as_str())), force)
    }
}

fn verdict_of(findings: &[Finding]) -> Verdict {
    match findings.iter().map(|f| f.severity).max() {
        Some(Severity::Error) => Verdict::Error,
        Some(Severity::Warning) => Verdict::Warning,
        _ => Verdict::Ok,
    }
}

pub(crate) struct Collector(pub(crate) Vec<Finding>);

impl Collector {
    pub(crate) fn add(&mut self, code: FindingCode, severity: Severity, message: String, path: Option<&str>) {
        self.0.push(Finding { code, severity, message, path: path.map(str::to_owned) });
    }
}

/// Judges the files of one restore request. `target_database` is the restore's `database_name`.
pub fn assess(files: &[FileProbe], target_database: Option<&str>) -> Report {
    let mut findings = Collector(Vec::new());
    let mut readable: Vec<(&FileProbe, &BackupHeader)> = Vec::new();
    for file in files {
        match &file.probe {
            Probe::Missing => findings.add(
                FindingCode::ObjectMissing,
                Severity::Error,
                format!("{} does not exist", file.path),
                Some(&file.path),
            ),
            Probe::AccessDenied { message } => findings.add(
                FindingCode::AccessDenied,
                Severity::Error,
                format!(
                    "access to {} was denied: {message} (check the access key, secret and bucket policy)",
                    file.path
                ),
                Some(&file.path),
            ),
            Probe::Failed { message } => findings.add(
                FindingCode::ReadFailed,
                Severity::Error,
                format!("{} could not be read: {message}", file.path),
                Some(&file.path),
            ),
            Probe::Read { header, size, etag, tail, .. } => {
                judge_header(file, header, &mut findings);
                if let (Some(tail), BackupKind::Mtf) = (tail, header.kind) {
                    judge_tail(file, header, *size, etag.as_deref(), tail, &mut findings);
                }
                if header.kind == BackupKind::Mtf {
                    readable.push((file, header));
                }
            }
        }
    }
    judge_backup_sets(files, &mut findings);
    let files_in_order = judge_set(files, &readable, &mut findings);
    if let Some(target) = target_database {
        let names: Vec<&str> = readable.iter().filter_map(|(_, h)| h.database_name.as_deref()).collect();
        if let Some(name) = names.first() {
            if !name.eq_ignore_ascii_case(target) {
                findings.add(
                    FindingCode::DatabaseNameDiffers,
                    Severity::Info,
                    format!("the backup is of database {name}; it will be restored as {target}"),
                    None,
                );
            }
        }
    }
    let total_size = files
        .iter()
        .filter_map(|f| match &f.probe {
            Probe::Read { size, .. } => *size,
            _ => None,
        })
        .fold(0u64, u64::saturating_add);
    Report {
        verdict: verdict_of(&findings.0),
        findings: findings.0,
        files: files.iter().map(file_report).collect(),
        files_in_order,
        total_size,
        database_version: readable.iter().find_map(|(_, h)| h.database_version),
        restore_size: readable.first().and_then(|(_, h)| h.restore_size()),
    }
}

fn file_report(file: &FileProbe) -> FileReport {
    let report = |status| FileReport {
        path: file.path.clone(),
        number: file.number,
        status,
        size: None,
        etag: None,
        header: None,
        tail: None,
        restore_size: None,
        backup_sets: Vec::new(),
    };
    match &file.probe {
        Probe::Read { size, etag, header, tail, later_sets } => FileReport {
            size: *size,
            etag: etag.clone(),
            header: Some(header.as_ref().clone()),
            tail: tail.clone(),
            restore_size: header.restore_size(),
            backup_sets: backup_sets(header, tail.as_ref(), later_sets),
            ..report("read")
        },
        Probe::Missing => report("missing"),
        Probe::AccessDenied { .. } => report("access_denied"),
        Probe::Failed { .. } => report("failed"),
    }
}

/// Every set of a file, when its tail told how many: set 1 from the first read, later ones from their
/// own reads (or why not).
fn backup_sets(header: &BackupHeader, tail: Option<&TailProbe>, later: &[SetProbe]) -> Vec<BackupSetSummary> {
    let Some(count) = tail.and_then(|t| t.filemarks.as_ref()).map(Filemarks::backup_sets).filter(|n| *n > 0) else {
        return Vec::new();
    };
    (1..=count.min(crate::backup::mtf::MAX_BACKUP_SETS as u32))
        .map(|position| {
            if position == 1 {
                return BackupSetSummary::of(1, header);
            }
            match later.iter().find(|s| s.position == position).map(|s| &s.header) {
                Some(Ok(header)) => BackupSetSummary::of(position, header),
                Some(Err(error)) => BackupSetSummary::unread(position, error.clone()),
                None => BackupSetSummary::unread(position, "its header was not read".to_owned()),
            }
        })
        .collect()
}

/// A file holding several backup sets restores the oldest: the restore API has no `FILE =` position.
/// Reported once, for the first such file (the stripes of one set hold the same sets).
fn judge_backup_sets(files: &[FileProbe], findings: &mut Collector) {
    for file in files {
        let Probe::Read { header, tail, later_sets, .. } = &file.probe else { continue };
        let sets = backup_sets(header, tail.as_ref(), later_sets);
        let (Some(first), Some(newest)) = (sets.first(), sets.last()) else { continue };
        if sets.len() < 2 {
            continue;
        }
        let newest_text = match &newest.error {
            Some(_) => format!("set {} could not be read", newest.position),
            None => format!("the newest, set {}, is {}", newest.position, newest.describe()),
        };
        findings.add(
            FindingCode::MultipleBackupSets,
            Severity::Warning,
            format!(
                "{} holds {} backup sets (BACKUP … WITH NOINIT appends): the import restores set 1, {}; {newest_text}. Back up to a new file (WITH INIT or FORMAT) to import another set",
                file.path,
                sets.len(),
                first.describe()
            ),
            Some(&file.path),
        );
        return;
    }
}

/// The last bytes of a backup: read, unchanged since the first read, and a complete end. A plain
/// backup ends with `ESET`; a compressed one's `ESET` is itself compressed, so there the final
/// filemark table (raw) is the mark of a complete file.
fn judge_tail(
    file: &FileProbe,
    header: &BackupHeader,
    size: Option<u64>,
    etag: Option<&str>,
    tail: &TailProbe,
    findings: &mut Collector,
) {
    let path = Some(file.path.as_str());
    if let Some(error) = &tail.error {
        findings.add(
            FindingCode::ReadFailed,
            Severity::Warning,
            format!("the last bytes of {} could not be read: {error}", file.path),
            path,
        );
        return;
    }
    let differs = |a: Option<&str>, b: Option<&str>| a.zip(b).is_some_and(|(a, b)| a != b);
    if differs(etag, tail.etag.as_deref()) || size.zip(tail.size).is_some_and(|(a, b)| a != b) {
        findings.add(
            FindingCode::ObjectChanged,
            Severity::Warning,
            format!("{} changed between the two reads (size or ETag differ): is an upload still running?", file.path),
            path,
        );
    } else {
        // Where a complete file's end is seen (see above): ESET in a plain backup, the raw final SFMB
        // in a compressed one.
        let (complete, end) = if header.compressed {
            (tail.filemarks.is_some(), "final filemark (SFMB)")
        } else {
            (tail.end_of_set_offset.is_some(), "end-of-set (ESET)")
        };
        if !complete {
            findings.add(
                FindingCode::EndOfSetMissing,
                Severity::Warning,
                format!(
                    "the last {} bytes of {} hold no {end} block: the file may be truncated or still being written",
                    tail.bytes, file.path
                ),
                path,
            );
        }
    }
}

fn judge_header(file: &FileProbe, header: &BackupHeader, findings: &mut Collector) {
    let path = Some(file.path.as_str());
    match header.kind {
        BackupKind::NotSqlBackup | BackupKind::Truncated => {
            findings.add(
                FindingCode::NotSqlBackup,
                Severity::Error,
                format!("{} is not a SQL Server backup", file.path),
                path,
            );
            return;
        }
        BackupKind::EncryptedOrUnreadable => {
            // src/backup/mtf/backup-format.md: an MSSQLBAK file whose records do not decode is most likely
            // `WITH ENCRYPTION`, and the service refuses encrypted backups.
            let why = header.problems.first().map_or("its records do not decode", |p| p.message.as_str());
            findings.add(
                FindingCode::EncryptedOrUnreadable,
                Severity::Error,
                format!("{} starts like a compressed backup (MSSQLBAK) but cannot be read: {why}. The service refuses encrypted backups", file.path),
                path,
            );
            return;
        }
        BackupKind::Mtf => {}
    }
    if header.compressed {
        findings.add(
            FindingCode::Compressed,
            Severity::Info,
            format!("{} is a compressed backup: SQL Server restores it transparently", file.path),
            path,
        );
    }
    if header.password_protected {
        findings.add(
            FindingCode::PasswordProtected,
            Severity::Error,
            format!("{} is on password-protected media", file.path),
            path,
        );
    }
    if header.has_problem(ProblemCode::MtfEncrypted) {
        findings.add(
            FindingCode::Encrypted,
            Severity::Error,
            format!(
                "{} is an encrypted backup set (MTF encryption flag): the service refuses encrypted backups",
                file.path
            ),
            path,
        );
    }
    if let Some(version) = header.database_version.filter(|v| *v < OLDEST_RESTORABLE_VERSION) {
        let release =
            crate::backup::mtf::release_for(version).map_or_else(String::new, |r| format!(" (SQL Server {r})"));
        findings.add(
            FindingCode::BackupTooOld,
            Severity::Error,
            format!(
                "{} has database version {version}{release}: SQL Server 2016 to 2022, the versions STACKIT offers, restore backups from SQL Server 2008 (version {OLDEST_RESTORABLE_VERSION}) on; restore it on an intermediate server and back it up again",
                file.path
            ),
            path,
        );
    }
    if let Some(name) = header.database_name.as_deref().filter(|n| is_system_database(n)) {
        findings.add(
            FindingCode::SystemDatabase,
            Severity::Warning,
            format!("{} is a backup of the system database {name}: it restores only as a user database with that content, never as the instance's own {name}", file.path),
            path,
        );
    }
    match header.backup_type {
        Some(BackupType::Log) => findings.add(
            FindingCode::LogBackup,
            Severity::Error,
            format!("{} is a transaction log backup: an import needs a full database backup", file.path),
            path,
        ),
        Some(BackupType::Differential) => findings.add(
            FindingCode::DifferentialWithoutFull,
            Severity::Error,
            format!("{} is a differential backup: it cannot be restored without its full backup", file.path),
            path,
        ),
        Some(BackupType::Full) => {}
        None => findings.add(
            FindingCode::UnknownBackupType,
            Severity::Warning,
            format!("the backup type of {} could not be determined", file.path),
            path,
        ),
    }
    if !header.checksums_valid || header.has_problem(ProblemCode::LengthOutOfRange) {
        findings.add(
            FindingCode::HeaderDamaged,
            Severity::Warning,
            format!("the header of {} has checksum or length errors: the file may be damaged", file.path),
            path,
        );
    }
}

/// Stripe checks (src/backup/mtf/backup-format.md, "RAID stream"): one media set, family count = files,
/// sequences exactly 1..N; file numbers should follow the family sequence.
fn judge_set(
    files: &[FileProbe],
    readable: &[(&FileProbe, &BackupHeader)],
    findings: &mut Collector,
) -> Option<Vec<OrderedFile>> {
    let (_, first) = readable.first()?;
    let mixed = readable
        .iter()
        .any(|(_, h)| h.media_set_guid != first.media_set_guid || h.backup_set_guid != first.backup_set_guid);
    if mixed {
        findings.add(
            FindingCode::MixedMediaSets,
            Severity::Error,
            "the files belong to different backups (media-set or backup-set GUIDs differ)".to_owned(),
            None,
        );
        return None;
    }
    let count = first.family_count.unwrap_or(1);
    let mut present: Vec<u16> = Vec::new();
    for (file, header) in readable {
        let sequence = header.family_sequence.unwrap_or(1);
        if present.contains(&sequence) {
            findings.add(
                FindingCode::StripeDuplicate,
                Severity::Error,
                format!("{} repeats stripe {sequence} of {count}", file.path),
                Some(&file.path),
            );
        }
        present.push(sequence);
    }
    let missing: Vec<u16> = (1..=count).filter(|n| !present.contains(n)).collect();
    if !missing.is_empty() {
        let have: Vec<String> = {
            let mut sorted = present.clone();
            sort_small(&mut sorted, |a, b| a < b);
            sorted.iter().map(u16::to_string).collect()
        };
        let list: Vec<String> = missing.iter().map(u16::to_string).collect();
        findings.add(
            FindingCode::StripeMissing,
            Severity::Error,
            format!("the backup is striped over {count} files; have {}, missing {}", have.join(", "), list.join(", ")),
            None,
        );
        return None;
    }
    if readable.len() != files.len() {
        return None;
    }
    let ordered: Vec<OrderedFile> = readable
        .iter()
        .map(|(file, header)| OrderedFile {
            number: i32::from(header.family_sequence.unwrap_or(1)),
            path: file.path.clone(),
        })
        .collect();
    let renumbered = readable
        .iter()
        .any(|(file, header)| file.number.is_some_and(|n| n != i32::from(header.family_sequence.unwrap_or(1))));
    if renumbered {
        findings.add(
            FindingCode::FileOrderCorrected,
            Severity::Warning,
            "file_number did not follow the stripes' family sequence; use filesInOrder".to_owned(),
            None,
        );
    }
    let mut ordered = ordered;
    sort_small(&mut ordered, |a, b| a.number < b.number);
    Some(ordered)
}

/// A backup set found under a prefix.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveredSet {
    pub media_set_guid: Option<String>,
    pub database_name: Option<String>,
    pub backup_type: Option<BackupType>,
    pub backup_date: Option<String>,
    pub family_count: u16,
    pub complete: bool,
    pub files: Vec<OrderedFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Discovery {
    pub sets: Vec<DiscoveredSet>,
    /// `s3_files` of the newest complete full backup set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<Vec<OrderedFile>>,
}

/// Groups readable `.bak` objects by media set and proposes the newest complete full backup.
pub fn discover(files: &[FileProbe]) -> Discovery {
    let mut sets: Vec<DiscoveredSet> = Vec::new();
    for file in files {
        let Probe::Read { header, .. } = &file.probe else { continue };
        if header.kind != BackupKind::Mtf {
            continue;
        }
        let number = i32::from(header.family_sequence.unwrap_or(1));
        let entry = OrderedFile { number, path: file.path.clone() };
        match sets.iter_mut().find(|s| s.media_set_guid.is_some() && s.media_set_guid == header.media_set_guid) {
            Some(set) => set.files.push(entry),
            None => sets.push(DiscoveredSet {
                media_set_guid: header.media_set_guid.clone(),
                database_name: header.database_name.clone(),
                backup_type: header.backup_type,
                backup_date: header.backup_date.clone(),
                family_count: header.family_count.unwrap_or(1),
                complete: false,
                files: vec![entry],
            }),
        }
    }
    for set in &mut sets {
        sort_small(&mut set.files, |a, b| a.number < b.number);
        let numbers: Vec<i32> = set.files.iter().map(|f| f.number).collect();
        set.complete = numbers == (1..=i32::from(set.family_count)).collect::<Vec<_>>();
    }
    // Newest first; ISO-like dates sort as text.
    sort_small(&mut sets, |a, b| a.backup_date > b.backup_date);
    let proposal = sets.iter().find(|s| s.complete && s.backup_type == Some(BackupType::Full)).map(|s| s.files.clone());
    Discovery { sets, proposal }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: FindingCode, severity: Severity, message: &str) -> Finding {
        Finding { code, severity, message: message.to_owned(), path: None }
    }

    fn report(findings: Vec<Finding>) -> Report {
        Report {
            verdict: verdict_of(&findings),
            findings,
            files: Vec::new(),
            files_in_order: None,
            total_size: 0,
            database_version: None,
            restore_size: None,
        }
    }

    #[test]
    fn finding_codes_are_named_as_in_json() {
        assert_eq!(FindingCode::StripeMissing.name(), "STRIPE_MISSING");
        assert_eq!(FindingCode::BackupNewerThanInstance.name(), "BACKUP_NEWER_THAN_INSTANCE");
    }

    #[test]
    fn error_findings_refuse_unless_forced() {
        let refusing = report(vec![
            finding(FindingCode::Compressed, Severity::Info, "compressed"),
            finding(FindingCode::StripeMissing, Severity::Error, "file 2 of 2 is missing"),
            finding(FindingCode::LogBackup, Severity::Warning, "a log backup"),
            finding(FindingCode::Encrypted, Severity::Error, "encrypted"),
        ]);
        assert_eq!(refusing.verdict, Verdict::Error);
        let refusal = refusing.refusal(false);
        assert_eq!(refusal.as_ref().map(Refusal::count), Some(2));
        assert_eq!(refusal.as_ref().map(Refusal::codes).as_deref(), Some("STRIPE_MISSING, ENCRYPTED"));
        assert_eq!(
            refusal.as_ref().map(Refusal::problems).as_deref(),
            Some("STRIPE_MISSING: file 2 of 2 is missing; ENCRYPTED: encrypted")
        );
        assert_eq!(refusing.refusal(true), None);

        let warned = report(vec![finding(FindingCode::LogBackup, Severity::Warning, "a log backup")]);
        assert_eq!(warned.verdict, Verdict::Warning);
        assert_eq!(warned.refusal(false), None);
        assert_eq!(report(Vec::new()).refusal(false), None);
    }

    #[test]
    fn the_rule_reads_findings_as_js_hands_them_back() {
        let findings = [(Severity::Warning, "LOG_BACKUP", "w"), (Severity::Error, "ENCRYPTED", "e")];
        assert_eq!(Refusal::of(findings, false).map(|r| r.problems()).as_deref(), Some("ENCRYPTED: e"));
        assert_eq!(Refusal::of(findings, true), None);
        assert_eq!(Refusal::of(Vec::<(Severity, String, String)>::new(), false), None);
    }
}
