// Scenario = the initial world of the emulator: instances with their logins, databases and
// managed backups, plus per-database restore overrides. Loaded from options, a JSON file
// (--scenario) or POST /_emulator/scenario; `normalizeScenario` fills defaults and rejects nonsense.

export const DEFAULT_PROJECT_ID = '11111111-1111-4111-8111-111111111111';
export const DEFAULT_REGION = 'eu01';
export const DEFAULT_INSTANCE_ID = '22222222-2222-4222-8222-222222222222';
/** A second instance of the default scenario that is not READY (state PROGRESSING). */
export const DEFAULT_BUSY_INSTANCE_ID = '33333333-3333-4333-8333-333333333333';
export const DEFAULT_TOKEN = 'emulator-token';
export const DEFAULT_OWNER_LOGIN = 'dbo_owner';
export const DEFAULT_ADMIN_LOGIN = 'sa_admin';
export const DEFAULT_EXISTING_DATABASE = 'existing_db';
/** Has managed backups but no longer exists: the target of a `{type: "BACKUP"}` restore. */
export const DEFAULT_DROPPED_DATABASE = 'dropped_db';

// Instance states: components.schemas.state (v3) / .status (v3alpha1) share this enum.
const INSTANCE_STATES = ['READY', 'PENDING', 'PROGRESSING', 'FAILURE', 'UNKNOWN', 'TERMINATING'];
const DEFAULT_COLLATION = 'SQL_Latin1_General_CP1_CI_AS';
const DEFAULT_COMPATIBILITY_LEVEL = 160; // SQL Server 2022
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export class ScenarioError extends Error {}

/** The built-in scenario; times are relative (`…MinutesAgo`) so point-in-time restores work at any clock. */
export function defaultScenario() {
  const readyInstance = {
    projectId: DEFAULT_PROJECT_ID,
    region: DEFAULT_REGION,
    id: DEFAULT_INSTANCE_ID,
    name: 'emulated-sqlserver',
    state: 'READY',
    logins: [DEFAULT_OWNER_LOGIN, DEFAULT_ADMIN_LOGIN],
    databases: [
      { name: DEFAULT_EXISTING_DATABASE, owner: DEFAULT_OWNER_LOGIN, createdMinutesAgo: 90 * 24 * 60 },
    ],
    backups: [
      { databaseName: DEFAULT_EXISTING_DATABASE, completedMinutesAgo: 3 * 24 * 60, size: 8_394_655 },
      { databaseName: DEFAULT_EXISTING_DATABASE, completedMinutesAgo: 2 * 24 * 60, size: 8_411_103 },
      { databaseName: DEFAULT_EXISTING_DATABASE, completedMinutesAgo: 24 * 60, size: 8_420_960 },
      { databaseName: DEFAULT_DROPPED_DATABASE, completedMinutesAgo: 5 * 24 * 60, size: 2_101_248, owner: DEFAULT_OWNER_LOGIN },
      { databaseName: DEFAULT_DROPPED_DATABASE, completedMinutesAgo: 4 * 24 * 60, size: 2_105_344, type: 'MANUAL', owner: DEFAULT_OWNER_LOGIN },
    ],
  };
  const busyInstance = {
    projectId: DEFAULT_PROJECT_ID,
    region: DEFAULT_REGION,
    id: DEFAULT_BUSY_INSTANCE_ID,
    name: 'emulated-sqlserver-updating',
    state: 'PROGRESSING',
    logins: [DEFAULT_OWNER_LOGIN],
    databases: [],
    backups: [],
  };
  return { instances: [readyInstance, busyInstance] };
}

/** Validates a scenario and returns the emulator's internal, fully-defaulted form. */
export function normalizeScenario(scenario, nowMs) {
  if (!isPlainObject(scenario)) throw new ScenarioError('scenario must be a JSON object');
  if (!Array.isArray(scenario.instances)) throw new ScenarioError('scenario.instances must be an array');
  const seen = new Set();
  return {
    instances: scenario.instances.map((raw, index) => {
      const instance = normalizeInstance(raw, `instances[${index}]`, nowMs);
      const key = `${instance.projectId}/${instance.region}/${instance.id}`;
      if (seen.has(key)) throw new ScenarioError(`instances[${index}]: duplicate instance ${key}`);
      seen.add(key);
      return instance;
    }),
  };
}

function normalizeInstance(raw, at, nowMs) {
  if (!isPlainObject(raw)) throw new ScenarioError(`${at} must be an object`);
  const state = raw.state ?? raw.status ?? 'READY';
  if (!INSTANCE_STATES.includes(state)) {
    throw new ScenarioError(`${at}.state must be one of ${INSTANCE_STATES.join(', ')}`);
  }
  const logins = (raw.logins ?? []).map((login, i) => normalizeLogin(login, i, `${at}.logins[${i}]`));
  const databases = (raw.databases ?? []).map((db, i) => normalizeDatabase(db, i, `${at}.databases[${i}]`, nowMs));
  const retentionDays = raw.retentionDays ?? 32;
  const backups = (raw.backups ?? []).map((b, i) => normalizeBackup(b, i, `${at}.backups[${i}]`, nowMs, retentionDays));
  return {
    projectId: requireString(raw.projectId ?? DEFAULT_PROJECT_ID, `${at}.projectId`),
    region: requireString(raw.region ?? DEFAULT_REGION, `${at}.region`),
    id: requireString(raw.id, `${at}.id`),
    name: requireString(raw.name ?? `instance-${raw.id}`, `${at}.name`),
    state,
    version: raw.version ?? '2022',
    edition: raw.edition ?? 'Standard',
    replicas: raw.replicas ?? 1,
    flavorId: raw.flavorId ?? '4.16-Single',
    storage: { class: 'premium-perf2-stackit', size: 40, ...(raw.storage ?? {}) },
    retentionDays,
    backupSchedule: raw.backupSchedule ?? '0 3 * * *',
    isDeletable: raw.isDeletable ?? true,
    network: raw.network ?? { accessScope: 'PUBLIC', acl: ['0.0.0.0/0'], instanceAddress: '10.0.0.2', routerAddress: '10.0.0.1' },
    labels: raw.labels ?? {},
    logins,
    databases,
    backups,
    restoreOverrides: normalizeOverrides(raw.restoreOverrides ?? {}, `${at}.restoreOverrides`),
  };
}

function normalizeLogin(raw, index, at) {
  const login = typeof raw === 'string' ? { username: raw } : raw;
  if (!isPlainObject(login)) throw new ScenarioError(`${at} must be a login name or {username}`);
  return {
    id: login.id ?? index + 1,
    username: requireString(login.username, `${at}.username`),
    status: login.status ?? 'ACTIVE',
  };
}

function normalizeDatabase(raw, index, at, nowMs) {
  const db = typeof raw === 'string' ? { name: raw } : raw;
  if (!isPlainObject(db)) throw new ScenarioError(`${at} must be a database name or {name, owner}`);
  return {
    id: db.id ?? index + 1,
    name: requireString(db.name, `${at}.name`),
    owner: db.owner ?? DEFAULT_OWNER_LOGIN,
    createdMs: timeOf(db.created, db.createdMinutesAgo, nowMs - DAY_MS, nowMs, `${at}.created`),
    collationName: db.collationName ?? DEFAULT_COLLATION,
    compatibilityLevel: db.compatibilityLevel ?? DEFAULT_COMPATIBILITY_LEVEL,
  };
}

function normalizeBackup(raw, index, at, nowMs, retentionDays) {
  if (!isPlainObject(raw)) throw new ScenarioError(`${at} must be an object`);
  const completionMs = timeOf(raw.completionTime, raw.completedMinutesAgo, nowMs - HOUR_MS, nowMs, `${at}.completionTime`);
  return {
    id: raw.id ?? index + 1,
    databaseName: requireString(raw.databaseName, `${at}.databaseName`),
    name: raw.name ?? `${String(index + 1).padStart(8, '0')}${completionMs.toString(16).toUpperCase().padStart(16, '0')}`,
    completionMs,
    retainedUntilMs: timeOf(raw.retainedUntil, undefined, completionMs + retentionDays * DAY_MS, nowMs, `${at}.retainedUntil`),
    size: raw.size ?? 1_048_576,
    type: raw.type ?? 'AUTOMATED',
    // Not served by the API: the owner a `{type: "BACKUP"}` restore gives the recreated database.
    owner: raw.owner ?? DEFAULT_OWNER_LOGIN,
  };
}

function normalizeOverrides(raw, at) {
  if (!isPlainObject(raw)) throw new ScenarioError(`${at} must map database names to {failRestore, durationMs, ...}`);
  const overrides = {};
  for (const [databaseName, o] of Object.entries(raw)) {
    if (!isPlainObject(o)) throw new ScenarioError(`${at}.${databaseName} must be an object`);
    overrides[databaseName.toLowerCase()] = {
      failRestore: Boolean(o.failRestore),
      failAtPercent: clampPercent(o.failAtPercent ?? 100),
      failureReason: o.failureReason ?? 'restore failed (scenario restoreOverrides)',
      durationMs: Number.isFinite(o.durationMs) ? o.durationMs : undefined,
    };
  }
  return overrides;
}

function timeOf(absolute, minutesAgo, fallbackMs, nowMs, at) {
  if (absolute !== undefined) {
    const ms = Date.parse(absolute);
    if (Number.isNaN(ms)) throw new ScenarioError(`${at} must be an RFC 3339 time`);
    return ms;
  }
  if (minutesAgo !== undefined) return nowMs - Number(minutesAgo) * 60_000;
  return fallbackMs;
}

function requireString(value, at) {
  if (typeof value !== 'string' || value === '') throw new ScenarioError(`${at} must be a non-empty string`);
  return value;
}

function clampPercent(value) {
  return Math.min(100, Math.max(0, Number(value)));
}

export function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
