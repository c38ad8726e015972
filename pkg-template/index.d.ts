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

export interface ImportAccepted {
  accepted: true;
  /** HTTP status, 202. */
  status: number;
  /** Trace id of the request (from the traceparent or x-trace-id response header). */
  traceId?: string;
  traceparent?: string;
  /** The logging GUID sent (generated when the input had none). */
  loggingGuid: string;
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

/** The API answered with an error status. `code` is the error body's `type` or `HTTP_<status>`. */
export interface ApiError extends Error {
  name: 'ApiError';
  code: string;
  status: number;
  traceId?: string;
  validation?: { field: string; message: string }[];
}

/** The request could not be completed (connection refused, DNS, no fetch). */
export interface NetworkError extends Error {
  name: 'NetworkError';
  code: 'NETWORK_ERROR' | 'NO_FETCH';
}

export class RestoreClient {
  constructor(options: ClientOptions);
  /** Validates the input, triggers the import and resolves on 202; rejects with ValidationError, ApiError or NetworkError. */
  importFromS3(input: ImportFromS3Input): Promise<ImportAccepted>;
  /** The request `importFromS3` would send; secrets masked unless `reveal: true`. */
  buildImportRequest(input: ImportFromS3Input, options?: { reveal?: boolean }): HttpRequestData;
  toJSON(): { projectId: string; region: string; apiVersion: ApiVersion };
}

/** The import request as data, not sent. Secrets are included unless `reveal: false`. */
export function buildImportRequest(
  options: Omit<ClientOptions, 'fetch'>,
  input: ImportFromS3Input,
  settings?: { reveal?: boolean },
): HttpRequestData;

/** The package version. */
export const version: string;
