// Types of `sqlserverflex-restore/emulator` (index.mjs): the local SQLServer Flex restore API emulator.

export declare const DEFAULT_PROJECT_ID: '11111111-1111-4111-8111-111111111111';
export declare const DEFAULT_REGION: 'eu01';
export declare const DEFAULT_INSTANCE_ID: '22222222-2222-4222-8222-222222222222';
/** A second default instance whose state is PROGRESSING (restores → 409). */
export declare const DEFAULT_BUSY_INSTANCE_ID: '33333333-3333-4333-8333-333333333333';
export declare const DEFAULT_TOKEN: 'emulator-token';
export declare const DEFAULT_OWNER_LOGIN: 'dbo_owner';
export declare const DEFAULT_ADMIN_LOGIN: 'sa_admin';
export declare const DEFAULT_EXISTING_DATABASE: 'existing_db';
/** Has managed backups but does not exist: the target of a `{type: "BACKUP"}` restore. */
export declare const DEFAULT_DROPPED_DATABASE: 'dropped_db';
/** Operation names usable in fault specs (the v3 operationIds), besides TOKEN_OPERATION. */
export declare const EMULATED_OPERATIONS: readonly string[];
export declare const TOKEN_OPERATION: 'Token';
export declare const FAULT_KINDS: readonly FaultKind[];

export type InstanceState = 'READY' | 'PENDING' | 'PROGRESSING' | 'FAILURE' | 'UNKNOWN' | 'TERMINATING';

export interface ScenarioInstance {
  id: string;
  projectId?: string;
  region?: string;
  name?: string;
  /** `status` is accepted as an alias (the v3alpha1 name). */
  state?: InstanceState;
  status?: InstanceState;
  version?: string;
  edition?: string;
  replicas?: number;
  flavorId?: string;
  storage?: { class?: string; size?: number };
  retentionDays?: number;
  backupSchedule?: string;
  isDeletable?: boolean;
  network?: Record<string, unknown>;
  labels?: Record<string, string>;
  logins?: Array<string | { id?: number; username: string; status?: string }>;
  databases?: Array<string | {
    id?: number; name: string; owner?: string; created?: string; createdMinutesAgo?: number;
    collationName?: string; compatibilityLevel?: number;
  }>;
  backups?: Array<{
    databaseName: string; id?: number; name?: string; completionTime?: string; completedMinutesAgo?: number;
    retainedUntil?: string; size?: number; type?: string; owner?: string;
  }>;
  /** Per target database name (case-insensitive). */
  restoreOverrides?: Record<string, { failRestore?: boolean; failAtPercent?: number; failureReason?: string; durationMs?: number }>;
}

export interface Scenario {
  instances: ScenarioInstance[];
}

export declare function defaultScenario(): Scenario;

export type FaultKind = 'status' | 'latency' | 'stall' | 'reset-before' | 'reset-after' | 'malformed-json' | 'fail-restore';

export interface FaultSpec {
  kind: FaultKind;
  /** e.g. "RestoreDatabaseFromBackup", "ListCurrentRunningRestoreJobs", "Token". */
  operation?: string;
  method?: string;
  /** Glob over the request path: `*` = one segment, `**` = anything. */
  path?: string;
  status?: number;
  retryAfterSeconds?: number;
  body?: unknown;
  latencyMs?: number;
  failureReason?: string;
  atPercent?: number;
  /** Default 1. */
  times?: number | 'always';
  /** Matching requests to let through first. Default 0. */
  skip?: number;
}

export interface Fault extends Omit<FaultSpec, 'times'> {
  id: number;
  times: number | 'always';
  remaining: number | 'always';
  applied: number;
}

export interface ServiceAccountKey {
  id: string;
  publicKey: string;
  createdAt: string;
  keyType: 'USER_MANAGED';
  keyOrigin: 'GENERATED';
  keyAlgorithm: 'RSA_2048';
  validUntil: string;
  active: boolean;
  credentials: { kid: string; iss: string; sub: string; aud: string; privateKey: string; tokenEndpoint?: string };
}

export interface ServiceAccountKeyRegistration {
  kid: string;
  publicKey: string;
  iss: string;
  sub: string;
  validUntil?: string;
  active?: boolean;
}

export interface RecordedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  operation: string | null;
  /** Authorization and other secrets masked. */
  headers: Record<string, string | string[] | undefined>;
  /** JSON bodies as masked objects, other bodies as masked text, none as null. */
  body: unknown;
  traceId: string;
  status: number | null;
  fault: FaultKind | null;
}

export interface RestoreRecord {
  id: number;
  databaseName: string;
  owner: string;
  sourceType: 'EXTERNAL_S3' | 'BACKUP' | 'POINT_IN_TIME';
  sourceDatabase: string | null;
  restoreDateTime: string | null;
  files: Array<{ file_number: number; file_path: string }>;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  percentComplete: number;
  startTime: string;
  estimatedCompletionTime: string;
  endTime: string | null;
  failureReason: string | null;
  s3Check: { status: 'SKIPPED' | 'PENDING' | 'PASSED' | 'FAILED'; problems: string[] };
  traceId: string;
}

export interface EmulatorState {
  now: string;
  instances: Array<{
    projectId: string;
    region: string;
    id: string;
    name: string;
    state: InstanceState;
    logins: Array<{ id: number; username: string; status: string }>;
    databases: Array<{ id: number; name: string; owner: string; created: string; collationName: string; compatibilityLevel: number }>;
    backups: Array<{ id: number; databaseName: string; name: string; type: string; size: number; completionTime: string; retainedUntil: string }>;
    restores: RestoreRecord[];
  }>;
}

export interface EmulatorOptions {
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Static bearer tokens. Default ["emulator-token"]. */
  tokens?: string[];
  scenario?: Scenario;
  /** Restores run this many times faster. Default 1. */
  timeScale?: number;
  /** Injectable clock (epoch ms). */
  now?: () => number;
  /** A built-in clock that only moves via advanceClock / POST /_emulator/clock. */
  manualClock?: boolean;
  manualClockStartMs?: number;
  /** Restore duration at timeScale 1. Default 600000. */
  restoreDurationMs?: number;
  /** Restores one instance runs at once; a further trigger answers 409. STACKIT documents no limit: default none. */
  maxParallelRestores?: number;
  /** Lifetime of tokens issued by POST /token. Default 3600. */
  tokenLifetimeSeconds?: number;
  serviceAccountKeys?: Array<ServiceAccountKey | ServiceAccountKeyRegistration>;
  /** Accepted JWT `aud` values besides `<url>/token` and `<url>`. */
  tokenAudiences?: string[];
  /**
   * Check EXTERNAL_S3 backup files on this S3-compatible endpoint (path-style, SigV4): the first 64 KiB
   * of each, judged by the package's header parser. Plain and compressed backups restore; encrypted or
   * unreadable ones, missing files and non-backups fail the restore.
   */
  s3?: { endpoint: string; region?: string } | null;
  log?: boolean | ((line: string) => void);
}

export interface Emulator {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly tokenUrl: string;
  readonly defaultToken: string | null;
  /** The world at the clock's now (as GET /_emulator/state). */
  readonly state: EmulatorState;
  /** The state once due S3 checks have finished. */
  settledState(): Promise<EmulatorState>;
  now(): number;
  /** Moves the manual clock; throws unless started with `manualClock: true`. */
  advanceClock(ms: number): number;
  loadScenario(scenario: Scenario): void;
  /** Back to the last loaded scenario; clears faults, recorded requests and issued tokens. */
  reset(): void;
  /** Generates and registers an RSA-2048 service-account key; returns its key JSON. */
  addServiceAccount(options?: { email?: string; validForMs?: number }): ServiceAccountKey;
  registerServiceAccountKey(key: ServiceAccountKey | ServiceAccountKeyRegistration): void;
  /** A fresh access token, as POST /token would issue. */
  issueToken(options?: { lifetimeSeconds?: number }): string;
  addToken(token: string): void;
  faults: {
    add(spec: FaultSpec | FaultSpec[]): Fault[];
    list(): Fault[];
    remove(id: number): boolean;
    clear(): void;
  };
  requests(filter?: { operation?: string; method?: string }): RecordedRequest[];
  clearRequests(): void;
  stop(): Promise<void>;
}

export declare function startEmulator(options?: EmulatorOptions): Promise<Emulator>;

export declare function createServiceAccountKey(options?: {
  audience?: string; tokenEndpoint?: string; email?: string; nowMs?: number; validForMs?: number;
}): ServiceAccountKey;
