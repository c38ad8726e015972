// Request checks, written from the spec (openapi/*.json) and STACKIT's documented rules
// (stackit-api.md "Rules a client can check"), independently of any client implementation.
// Each check returns a list of {field, message} problems; an empty list means "valid".

export const SYSTEM_DATABASES = ['master', 'model', 'msdb', 'tempdb'];
/** STACKIT "create databases" docs: only A–Z a–z 0–9 _, at most 80 characters. */
const DATABASE_NAME = /^[A-Za-z0-9_]{1,80}$/;
/** SQL Server 2022 RESTORE FROM URL accepts at most 64 URLs (stripes). */
export const MAX_S3_FILES = 64;
const INT32_MAX = 2 ** 31 - 1;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const S3_URL_SCHEMES = ['s3:', 'http:', 'https:'];

/** @returns {{ok: true, value: unknown} | {ok: false, message: string}} */
export function parseJsonBody(raw) {
  if (raw.trim() === '') return { ok: false, message: 'request body is empty; a JSON object is required' };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    return { ok: false, message: `request body is not valid JSON: ${error.message}` };
  }
}

export function databaseNameProblem(name) {
  if (typeof name !== 'string') return 'must be a string';
  if (!DATABASE_NAME.test(name)) return 'must be 1-80 characters of A-Z, a-z, 0-9 and _';
  if (SYSTEM_DATABASES.includes(name.toLowerCase())) return `must not be the system database ${name.toLowerCase()}`;
  return null;
}

/** RestoreDatabaseFromBackupPayload (POST …/restores), source discriminated by `type`. */
export function checkRestorePayload(body) {
  const problems = [];
  if (!isObject(body)) return [{ field: '', message: 'body must be a JSON object' }];
  unknownFields(body, ['database_name', 'source'], '', problems);
  if (body.database_name === undefined) problems.push({ field: 'database_name', message: 'is required' });
  else pushIf(problems, 'database_name', databaseNameProblem(body.database_name));

  const source = body.source;
  if (source === undefined) {
    problems.push({ field: 'source', message: 'is required' });
  } else if (!isObject(source)) {
    problems.push({ field: 'source', message: 'must be an object' });
  } else if (source.type === 'BACKUP') {
    // source.backup declares only `type`: S3 fields on a BACKUP source are a client mistake.
    unknownFields(source, ['type'], 'source', problems);
  } else if (source.type === 'EXTERNAL_S3') {
    checkExternalS3Source(source, problems);
  } else {
    problems.push({ field: 'source.type', message: source.type === undefined ? 'is required' : 'must be BACKUP or EXTERNAL_S3' });
  }
  return problems;
}

function checkExternalS3Source(source, problems) {
  unknownFields(source, ['type', 'database_owner', 'logging_guid', 's3_details'], 'source', problems);
  requireNonEmptyString(source, 'database_owner', 'source', problems);
  if (source.logging_guid !== undefined && typeof source.logging_guid !== 'string') {
    problems.push({ field: 'source.logging_guid', message: 'must be a string' });
  }
  const details = source.s3_details;
  const at = 'source.s3_details';
  if (!isObject(details)) {
    problems.push({ field: at, message: details === undefined ? 'is required' : 'must be an object' });
    return;
  }
  unknownFields(details, ['s3_bucket', 's3_access_key', 's3_access_secret', 's3_files'], at, problems);
  requireNonEmptyString(details, 's3_bucket', at, problems);
  requireNonEmptyString(details, 's3_access_key', at, problems);
  requireNonEmptyString(details, 's3_access_secret', at, problems);
  const bucketUrl = typeof details.s3_bucket === 'string' ? parseS3Url(details.s3_bucket) : null;
  if (typeof details.s3_bucket === 'string' && details.s3_bucket !== '' && !bucketUrl) {
    problems.push({ field: `${at}.s3_bucket`, message: 'must be an s3://, http:// or https:// URL of the bucket' });
  }
  checkS3Files(details.s3_files, bucketUrl ? details.s3_bucket : null, `${at}.s3_files`, problems);
}

function checkS3Files(files, bucket, at, problems) {
  if (!Array.isArray(files)) {
    problems.push({ field: at, message: files === undefined ? 'is required' : 'must be an array' });
    return;
  }
  // external.s3.s3_files: minItems 1.
  if (files.length === 0) problems.push({ field: at, message: 'must contain at least 1 file' });
  if (files.length > MAX_S3_FILES) problems.push({ field: at, message: `must contain at most ${MAX_S3_FILES} files` });
  const numbers = new Set();
  files.forEach((file, index) => checkS3File(file, `${at}[${index}]`, bucket, numbers, problems));
}

function checkS3File(file, at, bucket, numbersSeen, problems) {
  if (!isObject(file)) {
    problems.push({ field: at, message: 'must be an object {file_number, file_path}' });
    return;
  }
  unknownFields(file, ['file_number', 'file_path'], at, problems);
  const n = file.file_number;
  if (n === undefined) problems.push({ field: `${at}.file_number`, message: 'is required' });
  else if (!Number.isInteger(n) || n < 1 || n > INT32_MAX) problems.push({ field: `${at}.file_number`, message: 'must be an integer from 1 to 2147483647' });
  else if (numbersSeen.has(n)) problems.push({ field: `${at}.file_number`, message: `duplicates file_number ${n}` });
  else numbersSeen.add(n);
  if (!requireNonEmptyString(file, 'file_path', at, problems)) return;
  if (!parseS3Url(file.file_path)) {
    problems.push({ field: `${at}.file_path`, message: 'must be an s3://, http:// or https:// URL of the object' });
  } else if (bucket && !isInsideBucket(file.file_path, bucket)) {
    // stackit-api.md: file paths are full URIs of objects inside s3_bucket.
    problems.push({ field: `${at}.file_path`, message: 'must be an object URL inside s3_bucket' });
  }
}

/** TriggerRestorePayload (point-in-time restore): {name, restoreDateTime (RFC 3339)}. */
export function checkPointInTimePayload(body) {
  const problems = [];
  if (!isObject(body)) return [{ field: '', message: 'body must be a JSON object' }];
  unknownFields(body, ['name', 'restoreDateTime'], '', problems);
  if (body.name === undefined) problems.push({ field: 'name', message: 'is required' });
  else pushIf(problems, 'name', databaseNameProblem(body.name));
  if (body.restoreDateTime === undefined) problems.push({ field: 'restoreDateTime', message: 'is required' });
  else if (rfc3339Ms(body.restoreDateTime) === null) problems.push({ field: 'restoreDateTime', message: 'must be an RFC 3339 date-time, e.g. 2023-12-30T23:25:05Z' });
  return problems;
}

export function rfc3339Ms(value) {
  if (typeof value !== 'string' || !RFC3339.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function parseS3Url(value) {
  try {
    const url = new URL(value);
    return S3_URL_SCHEMES.includes(url.protocol) && url.hostname !== '' ? url : null;
  } catch {
    return null;
  }
}

function isInsideBucket(filePath, bucket) {
  const prefix = bucket.endsWith('/') ? bucket : `${bucket}/`;
  return filePath.startsWith(prefix) && filePath.length > prefix.length;
}

/** Problems with page/size/sort query parameters (components.parameters page, size, *.sort). */
export function checkPaging(query, sortValues) {
  const problems = [];
  for (const name of ['page', 'size']) {
    const raw = query.get(name);
    if (raw !== null && !/^[1-9]\d{0,8}$/.test(raw)) problems.push({ field: name, message: 'must be a positive integer' });
  }
  const sort = query.get('sort');
  if (sort !== null && !sortValues.includes(sort)) problems.push({ field: 'sort', message: `must be one of ${sortValues.join(', ')}` });
  return problems;
}

export function describeProblems(problems) {
  return problems.map(({ field, message }) => (field ? `${field}: ${message}` : message)).join('; ');
}

function requireNonEmptyString(object, key, at, problems) {
  const field = at ? `${at}.${key}` : key;
  const value = object[key];
  if (value === undefined) problems.push({ field, message: 'is required' });
  else if (typeof value !== 'string') problems.push({ field, message: 'must be a string' });
  else if (value === '') problems.push({ field, message: 'must not be empty' });
  else return true;
  return false;
}

function unknownFields(object, allowed, at, problems) {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) problems.push({ field: at ? `${at}.${key}` : key, message: 'is not a known field' });
  }
}

function pushIf(problems, field, message) {
  if (message) problems.push({ field, message });
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
