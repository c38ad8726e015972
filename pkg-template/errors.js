// Error classes of the package. Every failure is one of these (or the runtime's AbortError, passed
// through unchanged). `X.isInstance(e)` is duck-typed on `name`, so it works across two copies of the
// package (ESM + CJS, or two versions) where `instanceof` would not.

const BRAND = Symbol.for('sqlserverflex-restore.error');

export class RestoreError extends Error {
  /**
   * @param {string} message
   * @param {{ code?: string, status?: number, traceId?: string, retryable?: boolean, attempts?: number,
   *           cause?: unknown, [key: string]: unknown }} [details]
   */
  constructor(message, details = {}) {
    const { cause, ...fields } = details;
    super(message, cause === undefined ? undefined : { cause });
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true, writable: true });
    Object.defineProperty(this, BRAND, { value: true });
    this.code = fields.code ?? 'ERROR';
    this.retryable = fields.retryable ?? false;
    this.attempts = fields.attempts ?? 0;
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) this[key] = value;
  }

  static isInstance(value) {
    if (value === null || typeof value !== 'object' || !value[BRAND]) return false;
    return this === RestoreError || value.name === this.name;
  }
}

/** Bad input: nothing was sent. `errors`/`warnings`: `{ path, field, code, message }`. */
export class ValidationError extends RestoreError {}
/** 401/403, or the token endpoint refused the key. */
export class AuthError extends RestoreError {}
/** 404: instance, database or backup not found. */
export class NotFoundError extends RestoreError {}
/** 409: e.g. the target database exists or a restore of it is running. */
export class ConflictError extends RestoreError {}
/** 429 after the retries (or a Retry-After longer than the client waits). */
export class RateLimitError extends RestoreError {}
/** Any other error status, or a response body that does not match the spec (`MALFORMED_RESPONSE`). */
export class ApiError extends RestoreError {}
/** No response: connection refused or reset, DNS, TLS, CORS, no fetch. */
export class NetworkError extends RestoreError {}
/** No response within `timeoutMs`. */
export class TimeoutError extends RestoreError {}
/** `importFromS3(…, { preflight: true })` found errors and triggered nothing; `report` says which. */
export class PreflightError extends RestoreError {}

export const errorClasses = { ValidationError, AuthError, NotFoundError, ConflictError, RateLimitError, ApiError, NetworkError, TimeoutError, PreflightError };

/** Used by the wasm core to create errors of the right class. */
export function createError(name, message, details) {
  const ErrorClass = errorClasses[name] ?? RestoreError;
  return new ErrorClass(message, details);
}
