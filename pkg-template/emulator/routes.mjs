// Which operation a request is: the emulated operations of both API generations
// (`/v3/…` and `/v3alpha1/…`, same paths under /projects/{projectId}/regions/{region}),
// the token endpoint, spec operations the emulator does not emulate (501), or unknown (404).
// Operation names are the v3 operationIds (openapi/sqlserverflex-v3.json), for both versions.
import { readFileSync } from 'node:fs';
import * as read from './read-handlers.mjs';
import * as restore from './restore-handlers.mjs';

export const TOKEN_OPERATION = 'Token';

const INSTANCE_ROUTES = [
  { method: 'GET', path: '/instances/{instanceId}', operation: 'GetInstance', handler: read.getInstance },
  { method: 'GET', path: '/instances/{instanceId}/backups', operation: 'ListBackups', handler: read.listBackups },
  { method: 'GET', path: '/instances/{instanceId}/backups/{backupId}', operation: 'GetBackup', handler: read.getBackup },
  { method: 'POST', path: '/instances/{instanceId}/backups/databases/{databaseName}/restores', operation: 'TriggerRestore', handler: restore.triggerPointInTimeRestore },
  { method: 'GET', path: '/instances/{instanceId}/databases', operation: 'ListDatabases', handler: read.listDatabases },
  { method: 'GET', path: '/instances/{instanceId}/databases/{databaseName}', operation: 'GetDatabase', handler: read.getDatabase },
  { method: 'GET', path: '/instances/{instanceId}/restore-jobs', operation: 'ListCurrentRunningRestoreJobs', handler: read.listRestoreJobs },
  { method: 'POST', path: '/instances/{instanceId}/restores', operation: 'RestoreDatabaseFromBackup', handler: restore.restoreDatabaseFromBackup },
  { method: 'GET', path: '/instances/{instanceId}/users', operation: 'ListUsers', handler: read.listUsers },
].map((route) => ({ ...route, ...compile(route.path) }));

export const EMULATED_OPERATIONS = INSTANCE_ROUTES.map((r) => r.operation);

const API_PREFIX = /^\/(v3|v3alpha1)\/projects\/([^/]+)\/regions\/([^/]+)(\/.*)$/;

/**
 * @returns {{kind: 'api', operation, handler, params}
 *   | {kind: 'token', operation}
 *   | {kind: 'not-emulated', operation: null, params}
 *   | {kind: 'unknown', operation: null}}
 */
export function matchRoute(method, pathname) {
  if (pathname === '/token') return { kind: 'token', operation: TOKEN_OPERATION };
  const prefix = API_PREFIX.exec(pathname);
  if (!prefix) return { kind: 'unknown', operation: null };
  const [, version, projectId, region, rest] = prefix;
  const base = decodeParams({ version, projectId, region });
  for (const route of INSTANCE_ROUTES) {
    if (route.method !== method) continue;
    const match = route.regex.exec(rest);
    if (!match) continue;
    const params = decodeParams(Object.fromEntries(route.names.map((name, i) => [name, match[i + 1]])));
    if (!params || !base) return { kind: 'unknown', operation: null };
    return { kind: 'api', operation: route.operation, handler: route.handler, params: { ...base, ...params } };
  }
  if (isSpecOperation(method, pathname)) return { kind: 'not-emulated', operation: null, params: base };
  return { kind: 'unknown', operation: null };
}

function compile(path) {
  const names = [];
  const source = path.replace(/\{(\w+)\}/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  return { names, regex: new RegExp(`^${source}$`) };
}

function decodeParams(raw) {
  try {
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, decodeURIComponent(v)]));
  } catch {
    return null;
  }
}

let specOperations = null;

/** Whether the bundled OpenAPI files declare this method + path (for a 501 "not emulated"). */
function isSpecOperation(method, pathname) {
  specOperations ??= ['sqlserverflex-v3.json', 'sqlserverflex-v3alpha1.json'].flatMap((file) => {
    const spec = JSON.parse(readFileSync(new URL(`./openapi/${file}`, import.meta.url), 'utf8'));
    return Object.entries(spec.paths).flatMap(([path, item]) => Object.keys(item)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => ({ method: m.toUpperCase(), regex: compile(path).regex })));
  });
  return specOperations.some((op) => op.method === method && op.regex.test(pathname));
}
