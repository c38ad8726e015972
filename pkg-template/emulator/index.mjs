// Local emulator of the STACKIT SQLServer Flex restore API (v3 and v3alpha1) and the
// service-account token endpoint. Programmatic entry point: `startEmulator(options)`.
import { createClock } from './clock.mjs';
import { EmulatorState } from './state.mjs';
import { defaultScenario, DEFAULT_TOKEN } from './scenario.mjs';
import { TokenStore } from './auth.mjs';
import { ServiceAccountRegistry, createServiceAccountKey } from './service-accounts.mjs';
import { FaultRegistry } from './faults.mjs';
import { RequestRecorder } from './recorder.mjs';
import { createS3Checker } from './s3-check.mjs';
import { createEmulatorServer } from './server.mjs';

export {
  DEFAULT_PROJECT_ID, DEFAULT_REGION, DEFAULT_INSTANCE_ID, DEFAULT_BUSY_INSTANCE_ID, DEFAULT_TOKEN,
  DEFAULT_OWNER_LOGIN, DEFAULT_ADMIN_LOGIN, DEFAULT_EXISTING_DATABASE, DEFAULT_DROPPED_DATABASE, defaultScenario,
} from './scenario.mjs';
export { createServiceAccountKey } from './service-accounts.mjs';
export { EMULATED_OPERATIONS, TOKEN_OPERATION } from './routes.mjs';
export { FAULT_KINDS } from './faults.mjs';

/**
 * Starts the emulator on loopback.
 * @param {object} [options]
 * @param {string} [options.host='127.0.0.1']
 * @param {number} [options.port=0]                      0 = any free port
 * @param {string[]} [options.tokens=['emulator-token']] static bearer tokens that are always valid
 * @param {object} [options.scenario]                    initial world (default: defaultScenario())
 * @param {number} [options.timeScale=1]                 restores run this many times faster
 * @param {() => number} [options.now]                   injectable clock (epoch ms)
 * @param {boolean} [options.manualClock=false]          built-in clock that only moves via advanceClock / POST /_emulator/clock
 * @param {number} [options.manualClockStartMs]          start of the manual clock (default: real now)
 * @param {number} [options.restoreDurationMs=600000]    restore duration at timeScale 1
 * @param {number} [options.maxParallelRestores=Infinity] restores one instance runs at once; more → 409
 *   (STACKIT documents no limit, so there is none by default; set it to rehearse one)
 * @param {number} [options.tokenLifetimeSeconds=3600]   lifetime of tokens from POST /token
 * @param {object[]} [options.serviceAccountKeys=[]]     trusted keys: key JSONs or {kid, publicKey, iss, sub}
 * @param {string[]} [options.tokenAudiences=[]]         extra accepted `aud` values besides <url>/token and <url>
 * @param {{endpoint: string, region?: string} | null} [options.s3=null]  S3 endpoint for the backup-file check
 * @param {boolean | ((line: string) => void)} [options.log=false]  one line per request (no secrets)
 */
export async function startEmulator(options = {}) {
  const config = checkOptions(options);
  const clock = createClock(config);
  const tokens = new TokenStore({ clock, staticTokens: config.tokens, lifetimeSeconds: config.tokenLifetimeSeconds });
  const serviceAccounts = new ServiceAccountRegistry();
  for (const key of config.serviceAccountKeys) serviceAccounts.register(key);
  const state = new EmulatorState({
    clock,
    timeScale: config.timeScale,
    restoreDurationMs: config.restoreDurationMs,
    maxParallelRestores: config.maxParallelRestores,
    checkS3Files: config.s3 ? createS3Checker(config.s3) : null,
  });
  let initialScenario = config.scenario ?? defaultScenario();
  state.load(initialScenario);
  const faults = new FaultRegistry();
  const recorder = new RequestRecorder();

  let baseUrl = '';
  let port = 0;
  const audiences = () => {
    const local = `http://localhost:${port}`;
    return [`${baseUrl}/token`, baseUrl, `${local}/token`, local, ...config.tokenAudiences];
  };
  const addServiceAccount = ({ email, validForMs } = {}) => {
    const key = createServiceAccountKey({ audience: `${baseUrl}/token`, tokenEndpoint: `${baseUrl}/token`, email, validForMs, nowMs: clock.now() });
    serviceAccounts.register(key);
    return key;
  };
  const core = {
    clock, state, tokens, serviceAccounts, faults, recorder, audiences, addServiceAccount,
    url: () => baseUrl,
    log: makeLogger(config.log),
    loadScenario(scenario) {
      state.load(scenario);
      initialScenario = scenario;
    },
    reset() {
      state.load(initialScenario);
      faults.clear();
      recorder.clear();
      tokens.forgetIssued();
    },
  };

  const http = createEmulatorServer(core);
  port = await http.listen(config.host, config.port);
  baseUrl = `http://${urlHost(config.host)}:${port}`;

  return {
    url: baseUrl,
    port,
    host: config.host,
    tokenUrl: `${baseUrl}/token`,
    defaultToken: config.tokens[0] ?? null,
    /** The world as JSON (like GET /_emulator/state) at the clock's now; see settledState for S3 checks. */
    get state() {
      state.settleWithoutWaiting();
      return state.snapshot();
    },
    /** The state once due S3 checks have finished (same as GET /_emulator/state). */
    async settledState() {
      await state.settle();
      return state.snapshot();
    },
    now: () => clock.now(),
    /** Moves the manual clock forward (throws without `manualClock: true`). */
    advanceClock: (ms) => clock.advance(ms),
    loadScenario: (scenario) => core.loadScenario(scenario),
    reset: () => core.reset(),
    addServiceAccount,
    registerServiceAccountKey: (key) => serviceAccounts.register(key),
    issueToken: ({ lifetimeSeconds } = {}) => tokens.issue(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }).token,
    addToken: (token) => tokens.addStaticToken(token),
    faults: {
      add: (specOrSpecs) => faults.add(specOrSpecs),
      list: () => faults.list(),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
    },
    requests: (filter) => recorder.list(filter),
    clearRequests: () => recorder.clear(),
    async stop() {
      state.close();
      await http.stop();
    },
  };
}

function checkOptions(options) {
  const config = {
    host: '127.0.0.1',
    port: 0,
    tokens: [DEFAULT_TOKEN],
    scenario: undefined,
    timeScale: 1,
    now: undefined,
    manualClock: false,
    manualClockStartMs: undefined,
    restoreDurationMs: 600_000,
    maxParallelRestores: Infinity,
    tokenLifetimeSeconds: 3600,
    serviceAccountKeys: [],
    tokenAudiences: [],
    s3: null,
    log: false,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  if (!(Number.isFinite(config.timeScale) && config.timeScale > 0)) throw new RangeError('timeScale must be a number > 0');
  if (!(Number.isFinite(config.restoreDurationMs) && config.restoreDurationMs >= 0)) throw new RangeError('restoreDurationMs must be a number >= 0');
  if (!(config.maxParallelRestores === Infinity || (Number.isInteger(config.maxParallelRestores) && config.maxParallelRestores >= 1))) {
    throw new RangeError('maxParallelRestores must be a whole number >= 1 (or Infinity)');
  }
  if (!(Number.isFinite(config.tokenLifetimeSeconds) && config.tokenLifetimeSeconds > 0)) throw new RangeError('tokenLifetimeSeconds must be a number > 0');
  if (!Array.isArray(config.tokens) || config.tokens.some((t) => typeof t !== 'string' || t === '')) throw new TypeError('tokens must be an array of non-empty strings');
  if (config.s3 !== null && typeof config.s3?.endpoint !== 'string') throw new TypeError('s3 must be null or {endpoint, region?}');
  return config;
}

function makeLogger(log) {
  if (typeof log === 'function') return log;
  if (log) return (line) => process.stderr.write(`[sqlserverflex-emulator] ${line}\n`);
  return () => {};
}

function urlHost(host) {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
