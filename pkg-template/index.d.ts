// Public types of sqlserverflex-restore. Curated by hand: this is the API contract.

export type ApiVersion = 'v3' | 'v3alpha1';

export interface ClientOptions {
  /** STACKIT project ID (UUID). */
  projectId: string;
  /** STACKIT region, e.g. "eu01". */
  region: string;
  /** Bearer access token. Never printed, logged or put in errors. */
  token?: string;
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

/** Rejected input: nothing was sent. `name === "ValidationError"`, `code === "VALIDATION_ERROR"`. */
export interface ValidationError extends Error {
  name: 'ValidationError';
  code: 'VALIDATION_ERROR';
  errors: InputIssue[];
  warnings: InputIssue[];
}

/** The API answered with an error status (`code`: the error body's `type` or `HTTP_<status>`), or a
 *  2xx body that is not what the spec declares (`code: "MALFORMED_RESPONSE"`, `path` into the body). */
export interface ApiError extends Error {
  name: 'ApiError';
  code: string;
  status: number;
  traceId?: string;
  path?: string;
  validation?: { field: string; message: string }[];
}

/** The request could not be completed (connection refused, DNS, no fetch). */
export interface NetworkError extends Error {
  name: 'NetworkError';
  code: 'NETWORK_ERROR' | 'NO_FETCH';
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
}

export interface ImportAccepted extends RestoreAccepted {
  /** The logging GUID sent (generated when the input had none). */
  loggingGuid: string;
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
  constructor(options: ClientOptions);
  /** Validates the input, triggers the import and resolves on 202; rejects with ValidationError, ApiError or NetworkError. */
  importFromS3(input: ImportFromS3Input): Promise<ImportAccepted>;
  restoreFromBackup(input: RestoreFromBackupInput): Promise<RestoreAccepted>;
  restorePointInTime(input: PointInTimeRestoreInput): Promise<RestoreAccepted>;
  listRestoreJobs(input: InstanceRef): Promise<{ runningRestores: RunningRestore[] }>;
  listBackups(input: PageInput & { sort?: BackupSort }): Promise<{ backups: { databaseName: string; backups: Backup[] }[]; pagination: Pagination }>;
  getBackup(input: InstanceRef & { backupId: number | string }): Promise<Backup>;
  listDatabases(input: PageInput & { sort?: DatabaseSort }): Promise<{ databases: DatabaseListItem[]; pagination: Pagination }>;
  getDatabase(input: InstanceRef & { databaseName: string }): Promise<Database>;
  getInstance(input: InstanceRef): Promise<Instance>;
  listUsers(input: PageInput): Promise<{ users: UserListItem[]; pagination: Pagination }>;
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
