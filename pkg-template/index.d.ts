// Public types of sqlserverflex-restore. Curated by hand: this is the API contract.

export type ApiVersion = 'v3' | 'v3alpha1';

/** A STACKIT service-account key as downloaded from the portal (object or its JSON text). */
export interface ServiceAccountKey {
  id?: string;
  publicKey?: string;
  credentials: { kid: string; iss: string; sub: string; aud: string; privateKey?: string; tokenEndpoint?: string };
  [key: string]: unknown;
}

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Ceiling of the first backoff (full jitter), doubled per retry. Default 250. */
  baseDelayMs?: number;
  /** Largest backoff. Default 20000. */
  maxDelayMs?: number;
  /** Longest Retry-After waited out. Default 60000. */
  maxRetryAfterMs?: number;
  /** Wait before checking whether an ambiguous restore POST was executed. Default 10000. */
  verifyDelayMs?: number;
}

/** Per-call settings. */
export interface CallOptions {
  signal?: AbortSignal;
  /**
   * importFromS3: run `client.preflight` first (backup headers + instance checks); refuse
   * (PreflightError) on errors unless `force`. An object passes `tail` / `skip` on.
   */
  preflight?: boolean | Pick<ClientPreflightOptions, 'tail' | 'skip' | 'concurrency'>;
  force?: boolean;
  /** importFromS3: upload these local files to `s3.bucket` first; they replace `s3.files` (in family order). */
  upload?: UploadFile[] | (UploadOptions & { files: UploadFile[] });
  /** Per-attempt timeout. Default: the client's (30 s). */
  timeoutMs?: number;
  maxRetries?: number;
}

export interface ClientOptions {
  /** STACKIT project ID (UUID). */
  projectId: string;
  /** STACKIT region, e.g. "eu01". */
  region: string;
  /** Bearer access token. Never printed, logged or put in errors. */
  token?: string;
  /** Service-account key flow (STACKIT's primary auth): the key JSON, object or text. */
  serviceAccountKey?: ServiceAccountKey | string;
  /** PEM private key, overriding `serviceAccountKey.credentials.privateKey`. */
  privateKey?: string;
  /** Token endpoint. Default https://service-account.api.stackit.cloud/token. */
  tokenEndpoint?: string;
  /** Your own token source, called before each request. */
  getToken?: () => string | Promise<string>;
  /** Per-attempt timeout. Default 30000. */
  timeoutMs?: number;
  /** Retries for safe requests. Default 3. */
  maxRetries?: number;
  retry?: RetryOptions;
  /** "v3" (default, global host) or "v3alpha1" (regional host, as in STACKIT's import docs). */
  apiVersion?: ApiVersion;
  /** Override the API host, e.g. the local emulator. https:// only, except loopback. */
  baseUrl?: string;
  /** A fetch implementation; default: the runtime's global fetch. */
  fetch?: typeof fetch;
}

export interface S3BackupFile {
  /** Stripe number, 1..N. Default: the position in the list (1-based). */
  number?: number;
  /** Full object URI inside the bucket address, e.g. "s3://object.storage.eu01.onstackit.cloud/bucket/db.bak". */
  path: string;
}

export interface ImportFromS3Input {
  /** Target SQLServer Flex instance ID (UUID). */
  instanceId: string;
  /** Name of the database to create; must not exist yet. */
  databaseName: string;
  /** Existing login on the instance that will own the database. */
  databaseOwner: string;
  /** Correlates the restore's activity log; a UUID is generated when omitted. */
  loggingGuid?: string;
  s3: {
    /** Bucket address, e.g. "s3://object.storage.eu01.onstackit.cloud/bucket/path/". */
    bucket: string;
    accessKey: string;
    /** S3 secret key. Never printed, logged or put in errors. */
    secretKey: string;
    files: S3BackupFile[];
  };
}

/** A request as plain data, ready for fetch. */
export interface HttpRequestData {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** One input problem: `path` is a JSON pointer into the wire request, `field` the input path. */
export interface InputIssue {
  path: string;
  field: string;
  code: string;
  message: string;
}

/** Base of every error of the package (aborts reject with the runtime's AbortError instead). */
export class RestoreError extends Error {
  /** Stable machine code: the API body's `type`, `HTTP_<status>`, or one of this package's codes. */
  code: string;
  status?: number;
  traceId?: string;
  /** Whether trying again later may succeed. */
  retryable: boolean;
  /** Attempts made. */
  attempts: number;
  /** Duck-typed check by `name`: works across two copies of the package. */
  static isInstance(value: unknown): boolean;
}
/** Rejected input: nothing was sent. `code === "VALIDATION_ERROR"`. */
export class ValidationError extends RestoreError {
  errors: InputIssue[];
  warnings: InputIssue[];
}
/** 401/403, or the token endpoint refused the key (`TOKEN_REJECTED`, …). */
export class AuthError extends RestoreError {}
/** 404. */
export class NotFoundError extends RestoreError {}
/** 409: the target database exists, a restore of it runs, or the instance is busy. */
export class ConflictError extends RestoreError {}
/** 429 after the retries. */
export class RateLimitError extends RestoreError {}
/** Any other status, or a 2xx body not matching the spec (`MALFORMED_RESPONSE`, `path` into the body). */
export class ApiError extends RestoreError {
  path?: string;
  validation?: { field: string; message: string }[];
}
/** No response: refused, reset, DNS, CORS, or no fetch (`NO_FETCH`). */
export class NetworkError extends RestoreError {}
/** No response within `timeoutMs`. */
export class TimeoutError extends RestoreError {
  timeoutMs: number;
}
/** `importFromS3(…, { preflight: true })` found errors; nothing was triggered. */
export class PreflightError extends RestoreError {
  report: PreflightReport;
}

export type FindingCode = 'OBJECT_MISSING' | 'ACCESS_DENIED' | 'READ_FAILED' | 'NOT_SQL_BACKUP' | 'ENCRYPTED_OR_UNREADABLE'
  | 'ENCRYPTED' | 'COMPRESSED' | 'PASSWORD_PROTECTED' | 'LOG_BACKUP' | 'DIFFERENTIAL_WITHOUT_FULL' | 'MIXED_MEDIA_SETS'
  | 'STRIPE_MISSING' | 'STRIPE_DUPLICATE' | 'FILE_ORDER_CORRECTED' | 'DATABASE_NAME_DIFFERS' | 'HEADER_DAMAGED'
  | 'UNKNOWN_BACKUP_TYPE' | 'END_OF_SET_MISSING' | 'OBJECT_CHANGED' | 'MULTIPLE_BACKUP_SETS' | 'BACKUP_TOO_OLD' | 'SYSTEM_DATABASE'
  | 'INSTANCE_NOT_FOUND' | 'INSTANCE_NOT_READY' | 'DATABASE_EXISTS' | 'OWNER_NOT_FOUND' | 'OWNER_NOT_READY' | 'RESTORE_ALREADY_RUNNING'
  | 'BACKUP_NEWER_THAN_INSTANCE' | 'STORAGE_TOO_SMALL' | 'MISSING_PERMISSION' | 'CHECK_FAILED';

export interface Finding {
  code: FindingCode;
  severity: 'info' | 'warning' | 'error';
  message: string;
  path?: string;
}

/** One database file a restore creates, as `RESTORE FILELISTONLY` lists it (from the header's `SFIN` entries). */
export interface DatabaseFile {
  fileId?: number | null;
  logicalName?: string | null;
  /** The path on the server the backup was made on. */
  physicalName?: string | null;
  /** FILESTREAM containers count as DATA. */
  fileType: 'DATA' | 'LOG';
  /** Bytes the restore allocates for it; absent when the header does not establish it. */
  size?: number | null;
}

/** What the first bytes of a backup tell. */
export interface BackupHeader {
  /**
   * `MTF`: a readable backup, plain (`TAPE`) or compressed (`MSSQLBAK` whose records decode; `compressed`);
   * `ENCRYPTED_OR_UNREADABLE`: `MSSQLBAK` whose records do not decode (likely WITH ENCRYPTION, refused by the service);
   * `TRUNCATED`: too few bytes to tell.
   */
  kind: 'MTF' | 'ENCRYPTED_OR_UNREADABLE' | 'NOT_SQL_BACKUP' | 'TRUNCATED';
  /** A compressed backup whose records decoded: every fact is read as from a plain one. */
  compressed: boolean;
  backupType?: 'FULL' | 'DIFFERENTIAL' | 'LOG';
  databaseName?: string;
  serverName?: string;
  databaseVersion?: number;
  sqlServerVersion?: string;
  compatibilityLevel?: number;
  collationId?: number;
  backupName?: string;
  backupDate?: string;
  blockSize?: number;
  /** Soft-filemark block size in bytes: later backup sets start one such block after a filemark. */
  filemarkSize?: number | null;
  /** The database files the restore creates, with their sizes (empty when the header lists none). */
  files: DatabaseFile[];
  mediaSetGuid?: string;
  backupSetGuid?: string;
  familyCount?: number;
  familySequence?: number;
  passwordProtected: boolean;
  checksumsValid: boolean;
  problems: { code: string; offset?: number; message: string }[];
  [key: string]: unknown;
}

/** The read of a file's last 64 KiB (`tail`, on by default). */
export interface TailProbe {
  /** Bytes received. */
  bytes: number;
  /** The object's size as this read saw it. */
  size?: number;
  etag?: string;
  /** Where the end-of-set (`ESET`) block starts in the file; absent in a file cut short (and in compressed ones). */
  endOfSetOffset?: number;
  /** The filemark table of the file's last `SFMB`: two entries per backup set, earlier filemarks' offsets oldest first. */
  filemarks?: { used: number; offsets: number[] };
  /** Why the read failed; the other fields are then empty. */
  error?: string;
}

/** One backup set of a file, like a row of `RESTORE HEADERONLY`. */
export interface BackupSetSummary {
  /** 1 = the oldest: the set a restore without `FILE =`, and so an import, restores. */
  position: number;
  backupType?: 'FULL' | 'DIFFERENTIAL' | 'LOG';
  databaseName?: string;
  backupDate?: string;
  backupName?: string;
  databaseVersion?: number;
  /** Why this set's header could not be read. */
  error?: string;
}

/** One backup object (or local file) as the preflight read it. */
export interface FileReport {
  path: string;
  number?: number | null;
  status: 'read' | 'missing' | 'access_denied' | 'failed';
  size?: number;
  /** Unquoted; in a browser only if the bucket's CORS rule exposes `ETag`. */
  etag?: string;
  header?: BackupHeader;
  /** The read of the last 64 KiB (unless `tail: false`). */
  tail?: TailProbe;
  /** What a restore of this file's backup allocates: its database files' total, when every size is known. */
  restoreSize?: number;
  /** Every backup set in the file, oldest (the one an import restores) first, when the tail told how many there are. */
  backupSets?: BackupSetSummary[];
}

export interface PreflightReport {
  verdict: 'ok' | 'warning' | 'error';
  findings: Finding[];
  files: FileReport[];
  /** The files numbered by their stripes' family sequence, when the set is complete. */
  filesInOrder?: { number: number; path: string }[];
  totalSize: number;
  databaseVersion?: number;
  /** What the restore allocates: the total size of the database files the header lists, when every size is known. */
  restoreSize?: number;
}

export interface PreflightResult {
  report: PreflightReport | null;
  /** Without `s3.files`: the backup sets found under the bucket address, newest first. */
  discovery?: {
    sets: { mediaSetGuid?: string; databaseName?: string; backupType?: string; backupDate?: string; familyCount: number; complete: boolean; files: { number: number; path: string }[] }[];
    proposal?: { number: number; path: string }[];
  };
  requests: number;
  bytesRead: number;
}

export type InstanceCheckName = 'instance' | 'database' | 'owner' | 'restoreJobs' | 'version' | 'storage';

/** `client.preflight`: the backup preflight plus the instance checks, in one report. */
export interface ClientPreflightResult extends PreflightResult {
  report: PreflightReport;
  /** The instance as read (when the instance check ran and it exists). */
  instance?: Instance;
  checks: { check: InstanceCheckName; status: 'passed' | 'problem' | 'skipped' | 'unavailable' }[];
}

export interface ClientPreflightOptions {
  signal?: AbortSignal;
  /** Per-attempt timeout of every read. */
  timeoutMs?: number;
  maxRetries?: number;
  /** Parallel S3 reads. Default 8. */
  concurrency?: number;
  /**
   * Read the last 64 KiB of each file (END_OF_SET_MISSING, OBJECT_CHANGED, the backup sets in it) and
   * 64 KiB at each later backup set (MULTIPLE_BACKUP_SETS). Default true; `false` reads the first 64 KiB only.
   */
  tail?: boolean;
  /** Checks not to run; `backup` skips the S3 reads. */
  skip?: (InstanceCheckName | 'backup')[];
}

export interface PreflightOptions {
  s3: { bucket: string; accessKey: string; secretKey: string; files?: S3BackupFile[]; endpoint?: string; region?: string };
  /** The restore target, to note a differing database name. */
  databaseName?: string;
  signal?: AbortSignal;
  /** Parallel reads. Default 8. */
  concurrency?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /**
   * Read the last 64 KiB of each file (END_OF_SET_MISSING, OBJECT_CHANGED, the backup sets in it) and
   * 64 KiB at each later backup set (MULTIPLE_BACKUP_SETS). Default true; `false` reads the first 64 KiB only.
   */
  tail?: boolean;
}

/**
 * Reads each backup (signed ranged GETs: the first 64 KiB, the last 64 KiB unless `tail: false`, and
 * 64 KiB at each later backup set) and judges the set.
 */
export function preflight(options: PreflightOptions): Promise<PreflightResult>;
/** The header facts of a backup from its bytes (the first 64 KiB are enough; compressed backups are decoded). */
export function inspect(bytes: Uint8Array | ArrayBuffer | ArrayBufferView): BackupHeader;
/**
 * Local backups checked as the preflight checks S3 objects — the first and last 64 KiB of each, and
 * 64 KiB at each later backup set — without sending anything: the preflight's report, with the file
 * names as paths. Paths need Node; Files, Blobs and bytes work everywhere.
 */
export function inspectFiles(files: UploadFile[], options?: { databaseName?: string }): Promise<PreflightReport>;

/** A file to upload: a File or Blob (browsers), a path (Node), or any of these (or bytes) with its object name. */
export type UploadFile = string | Blob | { name?: string; source: string | Blob | ArrayBuffer | ArrayBufferView };

export interface UploadProgressEvent {
  /** Bytes on the server (parts kept from an interrupted run included) and of all files. */
  loaded: number;
  total: number;
  /** 0..100, one decimal. */
  percent: number;
  /** Rate of this run. */
  bytesPerSecond: number;
  /** Time left at that rate; absent until something was sent. */
  etaMs?: number;
  elapsedMs: number;
  done: boolean;
  /** The file being sent. */
  file: string;
}

/** Where an interrupted multipart upload stands: `error.upload` of a failed upload, `resume` of the next. */
export interface UploadState {
  /** Object key (or, as input, `name`: the file's name). */
  key?: string;
  name?: string;
  uploadId: string;
  partSize?: number;
  parts?: { partNumber: number; size: number; etag?: string }[];
  /** On errors: whether the upload was aborted in S3 (then there is nothing to resume). */
  aborted?: boolean;
}

export interface UploadOptions {
  signal?: AbortSignal;
  onProgress?: (event: UploadProgressEvent) => void;
  /** Bytes per part, 5 MiB..5 GiB. Default 8 MiB, or larger to stay within 10 000 parts. */
  partSize?: number;
  /** Parts in flight. Default 4, at most 64. */
  concurrency?: number;
  /** Per-attempt timeout. Default 120000. */
  timeoutMs?: number;
  /** Retries per request. Default 4. */
  maxRetries?: number;
  /** `sha256` (default): each body's SHA-256 (WebCrypto) is signed and S3 refuses a body that changed on the
   * way (re-sent up to 3 times, then `BAD_DIGEST`); `unsigned`: UNSIGNED-PAYLOAD, parts streamed unread, unverified. */
  payload?: 'unsigned' | 'sha256';
  /** Upload even when the header check finds errors. */
  force?: boolean;
  /** On a failure: `abort` (default) removes the upload in S3; `keep` leaves it for `resume`. Abort signals always abort. */
  onFailure?: 'abort' | 'keep';
  resume?: UploadState | UploadState[];
  fetch?: typeof fetch;
}

export interface UploadResult {
  /** The bucket address. */
  bucket: string;
  /** In family order (stripe 1..N), ready for `s3.files`. */
  files: { path: string; key: string; number: number; size: number; etag?: string; uploadId?: string; partSize: number; parts: number; resumedParts: number }[];
  /** The header check, as the preflight reports it. */
  report: PreflightReport;
  totalBytes: number;
  sentBytes: number;
  elapsedMs: number;
  requests: number;
}

/**
 * Checks the files as the preflight does (refusing non-backups, encrypted or unreadable ones and
 * incomplete stripe sets with a PreflightError unless `force`; compressed backups are fine), then uploads each as `<bucket address><file name>`: one
 * PUT, or a multipart upload with `concurrency` parts in flight. A failure that leaves the upload in S3
 * carries `error.upload` (an UploadState) to pass as `resume`.
 */
export function upload(
  input: { s3: { bucket: string; accessKey: string; secretKey: string; endpoint?: string; region?: string }; files: UploadFile[]; databaseName?: string },
  options?: UploadOptions,
): Promise<UploadResult>;

export interface ProgressEvent {
  /** 0..100 */
  percent: number;
  /** Expected end: the service's estimate, or one from the measured rate. */
  estimatedCompletion: Date | null;
  startedAt: Date | null;
  elapsedMs: number;
}

export interface WaitOptions extends CallOptions {
  onProgress?: (event: ProgressEvent) => void;
  /** Give up (TIMEOUT) after this long. Default 6 h. */
  maxWaitMs?: number;
  /** Poll gap bounds. Defaults 2000 and 60000. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Continue an earlier wait or check: a `resume` value (`checkRestore`) or a restore record (the
   * `record` of an accepted restore). Its schedule, start and settings carry over.
   */
  resume?: WaitState | RestoreRecord;
}

export interface WaitResult {
  state: 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'ABORTED';
  databaseName: string;
  /** The restored database (SUCCEEDED). */
  database?: Database;
  elapsedMs: number;
  /** restore-jobs polls, across every resumption. */
  polls: number;
  /** Where the wait stands, to continue it later (`resume`). */
  resume: WaitState;
  /** With `resume: record`: the record, updated (polls, outcome). */
  record?: RestoreRecord;
}

/**
 * A wait between two invocations, as plain JSON (no secret): settings, start, the grace after the
 * trigger, the measured rate, the poll count. Pass it back unchanged; its fields are not an API.
 */
export interface WaitState {
  kind: 'sqlserverflex-restore/wait';
  v: 1;
  databaseName: string;
  startedMs: number;
  polls: number;
  [internal: string]: unknown;
}

/** One poll of `checkRestore`: where the restore stands now, and when to look again. */
export interface CheckRestoreResult {
  /** NOT_STARTED: not listed yet right after the trigger (the grace period). */
  state: 'NOT_STARTED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMEOUT';
  databaseName: string;
  /** 0..100 while RUNNING; 100 when SUCCEEDED; null otherwise. */
  percent: number | null;
  estimatedCompletion: Date | null;
  startedAt: Date | null;
  /** When the next check is worth making (null once final). */
  nextCheckAt: Date | null;
  nextCheckInMs: number | null;
  polls: number;
  elapsedMs: number;
  /** The restored database, when this call saw the restore succeed. */
  database?: Database;
  /** Pass to the next `checkRestore` (or `waitForRestore({ resume })`). JSON-serialisable, no secrets. */
  resume: WaitState;
  /** When called with a record: the record, updated. */
  record?: RestoreRecord;
}

/**
 * An accepted restore, for audit and resumption: plain JSON without secrets (write it to a file, a
 * database row, a workflow step). `checkRestore`/`waitForRestore` take it as `resume` and update it.
 */
export interface RestoreRecord {
  kind: 'sqlserverflex-restore/record';
  v: 1;
  operation: 'importFromS3' | 'restoreFromBackup' | 'restorePointInTime';
  target: { projectId: string; region: string; instanceId: string; databaseName: string };
  /** RFC 3339 (UTC) of the 202. */
  acceptedAt: string;
  traceId: string | null;
  traceparent: string | null;
  loggingGuid: string | null;
  /** `sha256:…` of the request without credentials and logging GUID: the same import across runs. */
  inputFingerprint: string;
  polls: number;
  outcome: 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | null;
  resume: WaitState;
}

export interface ImportManyOptions extends CallOptions, Omit<WaitOptions, 'onProgress' | 'resume'> {
  /** Restores running at once per instance. Default 1 (STACKIT documents no limit; a 409 while busy is waited out). */
  concurrency?: number;
  /** Preflight every row before triggering any. Default true. */
  preflight?: boolean;
  /** Trigger rows the preflight finds errors in. Default false (they end REFUSED). */
  force?: boolean;
  /** Follow every restore to its end. Default true. */
  wait?: boolean;
  /** The records of an earlier run: rows SUCCEEDED then are skipped, rows triggered then are followed, not triggered again. */
  records?: RestoreRecord[];
  onProgress?: (event: ImportManyEvent) => void;
  /** First wait after a 409 while the instance runs another restore (doubling to 60 s). Default 2000. */
  busyDelayMs?: number;
}

export type ImportManyEvent = { row: number; databaseName: string } & (
  | { phase: 'skipped'; state: 'SUCCEEDED' }
  | { phase: 'preflight'; verdict: 'ok' | 'warning' | 'error' }
  | { phase: 'busy'; running: string[]; retryInMs: number }
  | { phase: 'triggered'; traceId: string | null; record: RestoreRecord }
  | { phase: 'resumed'; record: RestoreRecord }
  | ({ phase: 'progress' } & ProgressEvent)
  | { phase: 'done'; state: WaitResult['state']; record: RestoreRecord }
);

export interface ImportManyRow {
  /** 1-based position in `rows`. */
  row: number;
  instanceId: string;
  databaseName: string;
  /** REFUSED: preflight errors (not triggered); ERROR: a call failed (`error`); RUNNING: triggered, `wait: false`. */
  state: 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'ABORTED' | 'REFUSED' | 'ERROR' | 'RUNNING' | 'NOT_STARTED';
  durationMs: number;
  traceId: string | null;
  /** Finished in an earlier run (from `records`). */
  skipped?: true;
  error?: string;
  findings?: Pick<Finding, 'code' | 'severity' | 'message'>[];
}

export interface ImportManyResult {
  rows: ImportManyRow[];
  /** Every record of this run and the earlier one: pass as `records` to resume. */
  records: RestoreRecord[];
}


export interface InstanceRef {
  /** SQLServer Flex instance ID (UUID). */
  instanceId: string;
}

export interface RestoreFromBackupInput extends InstanceRef {
  /** Database to restore from the instance's managed backup (must not exist now). */
  databaseName: string;
}

export interface PointInTimeRestoreInput extends InstanceRef {
  /** The existing database to restore from. */
  databaseName: string;
  /** The new database to create. */
  name: string;
  /** RFC 3339 time with zone, or a Date. */
  restoreDateTime: string | Date;
}

export interface PageInput extends InstanceRef {
  /** 1-based page. */
  page?: number;
  /** Rows per page, 1..1000. */
  size?: number;
}

export type BackupSort = 'end_time.desc' | 'end_time.asc' | 'index.desc' | 'index.asc' | 'name.desc' | 'name.asc'
  | 'retained_until.desc' | 'retained_until.asc' | 'size.desc' | 'size.asc' | 'type.desc' | 'type.asc';
export type DatabaseSort = 'created_at.desc' | 'created_at.asc' | 'database_id.desc' | 'database_id.asc'
  | 'database_name.desc' | 'database_name.asc' | 'database_owner.desc' | 'database_owner.asc' | 'index.asc' | 'index.desc';

/** A restore accepted by the API (HTTP 202); it runs asynchronously. */
export interface RestoreAccepted {
  accepted: true;
  status: number;
  traceId?: string;
  traceparent?: string;
  /** Attempts made (a trigger found executed after an ambiguous failure counts as accepted). */
  attempts: number;
  /** For audit and for following it later (`checkRestore(target, record)`): no secrets. */
  record: RestoreRecord;
}

export interface ImportAccepted extends RestoreAccepted {
  /** The logging GUID sent (generated when the input had none). */
  loggingGuid: string;
  /** With `{ preflight }`: the report it was triggered on. */
  preflight?: PreflightReport;
  /** With `{ upload }`: what was uploaded. */
  upload?: UploadResult;
}

export interface RunningRestore {
  command: string;
  databaseName: string;
  /** `2023-09-25T12:17:30` (UTC, no zone, as the API sends it). */
  startTime: string;
  estimatedCompletionTime: string;
  /** 0..100 */
  percentComplete: number;
}

export interface Pagination {
  page: number;
  size: number;
  sort: string;
  totalPages: number;
  totalRows: number;
}

export interface Backup {
  id: number;
  name: string;
  completionTime: string;
  retainedUntil: string;
  size: number;
  type: string;
}

export interface DatabaseListItem {
  id: number;
  name: string;
  created: string;
  owner: string;
}

export interface Database {
  id: number;
  name: string;
  collationName: string;
  compatibilityLevel: number;
  owner: string;
}

export interface Instance {
  id: string;
  name: string;
  /** READY, PENDING, PROGRESSING, FAILURE, UNKNOWN, TERMINATING (v3 `state`, v3alpha1 `status`). */
  state: string;
  flavorId: string;
  edition: string;
  replicas: number;
  version?: string;
  storageClass?: string;
  storageSizeGb?: number;
  backupSchedule: string;
  isDeletable: boolean;
  retentionDays: number;
  network: { accessScope?: string; acl?: string[]; instanceAddress?: string; routerAddress?: string };
}

export interface UserListItem {
  id: number;
  username: string;
  status: string;
}

/** `{ ok, errors, warnings, normalized }`: errors block sending; `normalized` has secrets masked. */
export interface ValidationResult<T> {
  ok: boolean;
  errors: InputIssue[];
  warnings: InputIssue[];
  normalized: T | null;
}

export type NormalizedImport = Omit<ImportFromS3Input, 's3'> & {
  loggingGuid: string;
  loggingGuidGenerated: boolean;
  s3: { bucket: string; accessKey: string; secretKey: '***'; files: Required<S3BackupFile>[] };
};

export type OperationName = 'importFromS3' | 'restoreFromBackup' | 'restorePointInTime' | 'listRestoreJobs'
  | 'listBackups' | 'getBackup' | 'listDatabases' | 'getDatabase' | 'getInstance' | 'listUsers';

export class RestoreClient {
  /** Throws ValidationError for bad options (e.g. plain http:// to a non-loopback host). In Node, with no
   *  auth option, reads STACKIT_SERVICE_ACCOUNT_KEY(_PATH), STACKIT_PRIVATE_KEY(_PATH),
   *  STACKIT_SERVICE_ACCOUNT_TOKEN, STACKIT_TOKEN_BASEURL and ~/.stackit/credentials.json. */
  constructor(options: ClientOptions);
  /** Validates, triggers the import and resolves on 202; with `{ wait: true }` also waits for the end. */
  importFromS3(input: ImportFromS3Input, options?: CallOptions & { wait?: false }): Promise<ImportAccepted>;
  importFromS3(input: ImportFromS3Input, options: CallOptions & WaitOptions & { wait: true }): Promise<ImportAccepted & WaitResult>;
  restoreFromBackup(input: RestoreFromBackupInput, options?: CallOptions & { wait?: false }): Promise<RestoreAccepted>;
  restoreFromBackup(input: RestoreFromBackupInput, options: CallOptions & WaitOptions & { wait: true }): Promise<RestoreAccepted & WaitResult>;
  restorePointInTime(input: PointInTimeRestoreInput, options?: CallOptions & { wait?: false }): Promise<RestoreAccepted>;
  restorePointInTime(input: PointInTimeRestoreInput, options: CallOptions & WaitOptions & { wait: true }): Promise<RestoreAccepted & WaitResult>;
  /**
   * Will this restore work? The backup preflight (when `s3` is given) and the instance checks
   * (state, target database, owner login, running restore, version, storage), concurrently; triggers nothing.
   */
  preflight(
    input: Pick<ImportFromS3Input, 'instanceId' | 'databaseName'> & { databaseOwner?: string; s3?: PreflightOptions['s3'] },
    options?: ClientPreflightOptions,
  ): Promise<ClientPreflightResult>;
  /** Polls restore-jobs until the restore of `databaseName` ends, then confirms with the database. */
  waitForRestore(input: InstanceRef & { databaseName: string }, options?: WaitOptions): Promise<WaitResult>;
  /**
   * One poll, no waiting, for functions that live shorter than a restore: where it stands and when to
   * look again. Pass the previous result's `resume` (or a restore record) to keep the schedule, the
   * grace after the trigger and the start across invocations.
   */
  checkRestore(
    input: InstanceRef & { databaseName: string },
    state?: WaitState | RestoreRecord | null,
    options?: CallOptions & Pick<WaitOptions, 'maxWaitMs' | 'minDelayMs' | 'maxDelayMs'>,
  ): Promise<CheckRestoreResult>;
  /**
   * Many imports: every row validated first (all problems at once, nothing sent), preflighted, triggered
   * `concurrency` at a time per instance, followed, summed up. Resumable with the records of a run.
   */
  importMany(rows: ImportFromS3Input[], options?: ImportManyOptions): Promise<ImportManyResult>;
  listRestoreJobs(input: InstanceRef, options?: CallOptions): Promise<{ runningRestores: RunningRestore[] }>;
  listBackups(input: PageInput & { sort?: BackupSort }, options?: CallOptions): Promise<{ backups: { databaseName: string; backups: Backup[] }[]; pagination: Pagination }>;
  /** Every managed backup, page after page. */
  allBackups(input: PageInput & { sort?: BackupSort }, options?: CallOptions): AsyncIterable<Backup & { databaseName: string }>;
  getBackup(input: InstanceRef & { backupId: number | string }, options?: CallOptions): Promise<Backup>;
  listDatabases(input: PageInput & { sort?: DatabaseSort }, options?: CallOptions): Promise<{ databases: DatabaseListItem[]; pagination: Pagination }>;
  getDatabase(input: InstanceRef & { databaseName: string }, options?: CallOptions): Promise<Database>;
  getInstance(input: InstanceRef, options?: CallOptions): Promise<Instance>;
  listUsers(input: PageInput, options?: CallOptions): Promise<{ users: UserListItem[]; pagination: Pagination }>;
  /** Checks an import input and these client options; sends nothing. */
  validateImport(input: unknown): ValidationResult<NormalizedImport>;
  /** The request an operation would send; secrets masked unless `reveal: true`. */
  buildRequest(operation: OperationName, input: unknown, options?: { reveal?: boolean }): HttpRequestData;
  buildImportRequest(input: ImportFromS3Input, options?: { reveal?: boolean }): HttpRequestData;
  toJSON(): { projectId: string; region: string; apiVersion: ApiVersion; baseUrl?: string };
}

/** Checks an import input (and client options, when given) before anything is sent. */
export function validateImport(input: unknown, options?: Omit<ClientOptions, 'fetch'>): ValidationResult<NormalizedImport>;

/** An operation's request as data, not sent. Secrets are included unless `reveal: false`. */
export function buildRequest(
  operation: OperationName,
  options: Omit<ClientOptions, 'fetch'>,
  input: unknown,
  settings?: { reveal?: boolean },
): HttpRequestData;

/** The import request as data, not sent. Secrets are included unless `reveal: false`. */
export function buildImportRequest(
  options: Omit<ClientOptions, 'fetch'>,
  input: ImportFromS3Input,
  settings?: { reveal?: boolean },
): HttpRequestData;

/** A request as a shell-safe curl command; token and S3 secret become `$TOKEN` / `$S3_SECRET_KEY` unless `reveal`. */
export function toCurl(request: HttpRequestData, options?: { reveal?: boolean }): string;

/** The package version. */
export const version: string;
