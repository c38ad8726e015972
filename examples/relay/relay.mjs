// A relay between a browser console and the STACKIT SQLServer Flex API, as an edge function:
// `export default { fetch(request, env) }` runs on workerd (Cloudflare Workers) as is, and
// node-server.mjs runs it on Node. Every request is signed in first (Cloudflare Access or OpenID
// Connect, user-auth.mjs); restore triggers need the user's permission and are rate-limited per user;
// each decision is one audit line. It holds the API credentials server-side, forwards only the restore
// operations of the sqlserverflex-restore package (an allow-list of methods and paths) for one
// project, region and set of instances, answers CORS for one origin, and never returns a credential.
// Web-standard APIs only (fetch, Request, Response, URL, crypto.subtle): no dependencies.
import { auditLine, traceIdOf } from './audit.mjs';
import { createMemoryTriggerLimiter, triggerLimitFromEnv } from './trigger-limit.mjs';
import { SignInError, createSignIn, mayTrigger, signInConfigFromEnv } from './user-auth.mjs';

const API_VERSIONS = ['v3', 'v3alpha1'];
const DEFAULT_TOKEN_ENDPOINT = 'https://service-account.api.stackit.cloud/token';
const MAX_BODY_BYTES = 64 * 1024;
const QUERY_PARAMETERS = ['page', 'size', 'sort'];
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'traceparent', 'x-request-id'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'traceparent', 'x-trace-id', 'retry-after'];
/** Who the console is signed in as, and what it may do (GET, answered by the relay itself). */
// (Not exported: a Worker's main module may export only handlers.)
const WHO_AM_I_PATH = '/relay/me';

/**
 * Below `/{version}/projects/{project}/regions/{region}/instances/{instance}`: what may pass.
 * The restore triggers, restore-jobs, and the reads the console and the package's waiter use.
 */
const ALLOWED = [
  ['GET', /^$/, 'GetInstance'],
  ['GET', /^\/restore-jobs$/, 'ListCurrentRunningRestoreJobs'],
  ['GET', /^\/backups$/, 'ListBackups'],
  ['GET', /^\/backups\/\d+$/, 'GetBackup'],
  ['GET', /^\/databases$/, 'ListDatabases'],
  ['GET', /^\/databases\/([A-Za-z0-9_]{1,80})$/, 'GetDatabase'],
  ['GET', /^\/users$/, 'ListUsers'],
  ['POST', /^\/restores$/, 'RestoreDatabaseFromBackup'],
  ['POST', /^\/backups\/databases\/([A-Za-z0-9_]{1,80})\/restores$/, 'TriggerRestore'],
];

/**
 * The relay's settings from string bindings (workerd `env`, or `process.env` in node-server.mjs).
 * Throws with the name of the missing or wrong binding (never its value).
 */
export function configFromEnv(env) {
  const required = (name) => {
    const value = env[name];
    if (typeof value !== 'string' || value.trim() === '') throw new Error(`relay: ${name} is not set`);
    return value.trim();
  };
  const origin = required('RELAY_ALLOWED_ORIGIN');
  if (origin === '*' || !/^https?:\/\/[^/]+$/.test(origin)) {
    throw new Error('relay: RELAY_ALLOWED_ORIGIN must be one origin like https://console.example.com (no path, no *)');
  }
  const region = required('RELAY_REGION');
  const config = {
    allowedOrigin: origin,
    projectId: required('RELAY_PROJECT_ID').toLowerCase(),
    region,
    instanceIds: required('RELAY_INSTANCE_IDS').split(',').map((id) => id.trim().toLowerCase()).filter(Boolean),
    // One base for both versions (e.g. the emulator), else STACKIT's hosts per version.
    apiBaseUrl: env.RELAY_API_BASE_URL?.trim().replace(/\/+$/, '') || null,
    token: env.STACKIT_SERVICE_ACCOUNT_TOKEN || null,
    serviceAccountKey: null,
    privateKey: env.STACKIT_PRIVATE_KEY || null,
    tokenEndpoint: env.STACKIT_TOKEN_BASEURL || null,
    signIn: signInConfigFromEnv(env),
    triggerLimit: triggerLimitFromEnv(env),
  };
  if (env.STACKIT_SERVICE_ACCOUNT_KEY) {
    try {
      config.serviceAccountKey = JSON.parse(env.STACKIT_SERVICE_ACCOUNT_KEY);
    } catch {
      throw new Error('relay: STACKIT_SERVICE_ACCOUNT_KEY is not valid JSON');
    }
  }
  if (!config.token && !config.serviceAccountKey) {
    throw new Error('relay: set STACKIT_SERVICE_ACCOUNT_KEY (key flow) or STACKIT_SERVICE_ACCOUNT_TOKEN');
  }
  return config;
}

/**
 * @param {ReturnType<typeof configFromEnv>} config
 * @param {{ fetch?: typeof fetch, now?: () => number, log?: (line: string) => void,
 *   limiter?: { take(user: string, nowMs: number): Promise<{ ok: boolean, retryAfterSeconds?: number }> } }} [runtime]
 *   injectable for tests and for a shared (Durable Object) limiter on Workers
 * @returns {(request: Request) => Promise<Response>}
 */
export function createRelay(config, {
  fetch: fetchImpl = globalThis.fetch.bind(globalThis), now = Date.now, log = (line) => console.log(line),
  limiter = createMemoryTriggerLimiter(config.triggerLimit),
} = {}) {
  const tokens = createTokenSource(config, fetchImpl, now);
  const signIn = createSignIn(config.signIn, { fetch: fetchImpl, now });

  return async function handle(request) {
    const origin = request.headers.get('origin');
    // Browsers send Origin on every cross-origin call; a request without it is not the console's.
    if (origin !== config.allowedOrigin) return refuse(403, 'this origin is not allowed by the relay', null);
    const cors = corsHeaders(origin);
    // A CORS preflight carries no credentials by the Fetch standard; it reveals nothing and forwards nothing.
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });

    const url = new URL(request.url);
    const audit = { time: now(), user: null, operation: null, method: request.method, instance: null, database: null };
    const refused = (status, reason, type, extraHeaders) => {
      log(auditLine({ ...audit, status, traceId: null, outcome: 'refused', reason }));
      return refuse(status, reason, { ...cors, ...extraHeaders }, type);
    };

    // Who is asking comes first: nothing below is reachable without a verified user.
    let user;
    try {
      user = await signIn.authenticate(request);
    } catch (error) {
      if (error instanceof SignInError) {
        audit.user = error.user ?? null;
        const type = { 401: 'RelayUnauthenticated', 403: 'RelayRefused' }[error.status] ?? 'RelayAuthError';
        return refused(error.status, error.message, type, error.status === 401 && signIn.mode === 'oidc' ? { 'www-authenticate': 'Bearer' } : undefined);
      }
      return refused(503, 'the relay could not check the sign-in', 'RelayAuthError');
    }
    audit.user = user.id;
    const canTrigger = mayTrigger(config.signIn, user);

    if (url.pathname === WHO_AM_I_PATH && request.method === 'GET') {
      const { limit, windowSeconds } = config.triggerLimit;
      return json(200, {
        user: { id: user.id, email: user.email, name: user.name, groups: user.groups },
        signIn: signIn.mode, canTrigger, triggerLimit: { limit, windowSeconds },
      }, cors);
    }

    const route = matchRoute(config, request.method, url.pathname);
    Object.assign(audit, { operation: route.operation ?? null, instance: route.instance ?? null, database: route.database ?? null });
    if (!route.ok) return refused(403, route.reason, 'RelayRefused');
    const query = new URLSearchParams();
    for (const [name, value] of url.searchParams) {
      if (!QUERY_PARAMETERS.includes(name)) return refused(403, `the relay does not forward the query parameter ${name}`, 'RelayRefused');
      query.append(name, value);
    }

    let body;
    if (request.method === 'POST') {
      if (!canTrigger) return refused(403, `${user.id} may read but not trigger restores through this relay`, 'RelayRefused');
      if (!(request.headers.get('content-type') ?? '').startsWith('application/json')) {
        return refused(415, 'restore requests must be application/json', 'RelayRefused');
      }
      if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return refused(413, 'the request body is too large', 'RelayRefused');
      body = await request.arrayBuffer();
      if (body.byteLength > MAX_BODY_BYTES) return refused(413, 'the request body is too large', 'RelayRefused');
      Object.assign(audit, restoreTarget(body, route));
      const allowed = await limiter.take(user.id, now());
      if (!allowed.ok) {
        return refused(429, `${user.id} has triggered ${config.triggerLimit.limit} restores in ${config.triggerLimit.windowSeconds} s; try again later`,
          'RelayRateLimited', { 'retry-after': String(allowed.retryAfterSeconds) });
      }
    }

    let token;
    try {
      token = await tokens.get();
    } catch (error) {
      return refused(502, `the relay could not get an access token (${error.message})`, 'RelayAuthError');
    }
    const headers = new Headers({ authorization: `Bearer ${token}`, 'user-agent': 'sqlserverflex-restore-relay' });
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    const search = query.toString() === '' ? '' : `?${query}`;
    let upstream;
    try {
      upstream = await fetchImpl(`${apiBase(config, route.version)}${url.pathname}${search}`, {
        method: request.method, headers, body, redirect: 'manual', signal: request.signal,
      });
    } catch (error) {
      if (error?.name === 'AbortError') throw error;
      return refused(502, 'the relay could not reach the API', 'RelayUpstreamError');
    }
    // A refused token is renewed on the next request (key flow).
    if (upstream.status === 401) tokens.forget();
    const responseHeaders = new Headers(cors);
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) responseHeaders.set(name, value);
    }
    if (request.method === 'POST') {
      // Ties the restore to a person: the logging GUID the instance's activity log shows, and who sent it.
      responseHeaders.set('x-relay-user', encodeURIComponent(user.id));
      if (audit.loggingGuid) responseHeaders.set('x-relay-logging-guid', audit.loggingGuid);
    }
    log(auditLine({ ...audit, status: upstream.status, traceId: traceIdOf(upstream.headers), outcome: 'forwarded' }));
    return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
  };
}

/**
 * `{ ok, version, operation, instance, database }` for an allowed method and path (database: the one
 * named in the path), else `{ ok: false, reason, … }`.
 */
export function matchRoute(config, method, pathname) {
  const match = /^\/([^/]+)\/projects\/([^/]+)\/regions\/([^/]+)\/instances\/([^/]+)(\/.*)?$/.exec(pathname);
  const refused = { ok: false, reason: `the relay does not forward ${method} ${pathname}` };
  if (!match) return refused;
  const [, version, project, region, instance, rest = ''] = match;
  if (!API_VERSIONS.includes(version)) return refused;
  if (project.toLowerCase() !== config.projectId || region !== config.region) {
    return { ok: false, reason: 'the relay serves another project or region' };
  }
  if (!config.instanceIds.includes(instance.toLowerCase())) return { ok: false, reason: 'the relay does not serve this instance' };
  for (const [allowedMethod, pattern, operation] of ALLOWED) {
    const found = allowedMethod === method ? pattern.exec(rest) : null;
    if (found) return { ok: true, version, operation, instance: instance.toLowerCase(), database: found[1] ?? null };
  }
  return { ...refused, instance: instance.toLowerCase() };
}

/**
 * The database a restore POST creates and its logging GUID, read from the body for the audit line.
 * An import (EXTERNAL_S3) names it `database_name`; a point-in-time restore `name`.
 */
function restoreTarget(body, route) {
  let parsed;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return {};
  }
  const text = (value) => (typeof value === 'string' ? value.slice(0, 200) : null);
  const database = route.operation === 'TriggerRestore' ? text(parsed?.name) : text(parsed?.database_name);
  return { database: database ?? route.database, loggingGuid: text(parsed?.source?.logging_guid) };
}

function apiBase(config, version) {
  if (config.apiBaseUrl) return config.apiBaseUrl;
  return version === 'v3alpha1'
    ? `https://mssql-flex-service.api.${config.region}.stackit.cloud`
    : 'https://mssql-flex-service.api.stackit.cloud';
}

function corsHeaders(origin) {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    // Cloudflare Access signs the browser in with a cookie, which cross-origin calls send only with this.
    'access-control-allow-credentials': 'true',
    // `authorization` carries the user's sign-in token (OpenID Connect); it is checked, never forwarded.
    'access-control-allow-headers': 'authorization, content-type, accept, traceparent, x-request-id',
    'access-control-expose-headers': 'traceparent, x-trace-id, retry-after, x-relay-user, x-relay-logging-guid',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

/** An error in the API's own `Error` shape, so the package reads it like any API error. */
function refuse(status, message, headers, type = 'RelayRefused') {
  return json(status, { code: status, message, type }, headers);
}

function json(status, value, headers) {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json', ...(headers ?? {}) } });
}

/** A bearer token: the configured one, or one from the key flow, cached until 5 s before expiry. */
function createTokenSource(config, fetchImpl, now) {
  if (config.token) return { get: async () => config.token, forget() {} };
  let cached = null;
  let pending = null;
  return {
    async get() {
      if (cached && cached.expiresAtMs - 5000 > now()) return cached.token;
      pending ??= requestToken(config, fetchImpl, now).finally(() => {
        pending = null;
      });
      cached = await pending;
      return cached.token;
    },
    forget() {
      cached = null;
    },
  };
}

async function requestToken(config, fetchImpl, now) {
  const credentials = config.serviceAccountKey?.credentials ?? {};
  const pem = config.privateKey ?? credentials.privateKey;
  if (!pem) throw new Error('the key has no private key; set STACKIT_PRIVATE_KEY');
  const issuedAt = Math.floor(now() / 1000);
  const header = { alg: 'RS512', typ: 'JWT', kid: credentials.kid };
  const claims = {
    iss: credentials.iss, sub: credentials.sub, aud: credentials.aud,
    jti: crypto.randomUUID(), iat: issuedAt, exp: issuedAt + 600,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const key = await crypto.subtle.importKey('pkcs8', pkcs8FromPem(pem), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }, false, ['sign']);
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, new TextEncoder().encode(signingInput));
  const endpoint = config.tokenEndpoint ?? credentials.tokenEndpoint ?? DEFAULT_TOKEN_ENDPOINT;
  const response = await fetchImpl(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${signingInput}.${base64url(signature)}`,
  });
  // Only the status: the body is the token endpoint's, and the relay never returns its exchanges.
  if (!response.ok) throw new Error(`token endpoint answered HTTP ${response.status}`);
  const data = await response.json();
  if (typeof data.access_token !== 'string' || data.access_token === '') throw new Error('token endpoint sent no access_token');
  const lifetime = Number.isFinite(data.expires_in) && data.expires_in > 0 ? data.expires_in : 60;
  return { token: data.access_token, expiresAtMs: now() + lifetime * 1000 };
}

function pkcs8FromPem(pem) {
  const match = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(pem);
  if (!match) throw new Error('the private key must be PKCS#8 PEM (BEGIN PRIVATE KEY); convert with openssl pkcs8 -topk8 -nocrypt');
  const binary = atob(match[1].replace(/\s+/g, ''));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function base64url(data) {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The relay is built once per set of bindings (workerd passes the same `env` object each time).
const relays = new WeakMap();

export default {
  /** workerd / Cloudflare Workers entry. */
  async fetch(request, env) {
    let relay = relays.get(env);
    if (!relay) {
      try {
        relay = createRelay(configFromEnv(env));
      } catch (error) {
        // A setting is missing or wrong: say which (names only, never values), serve nothing.
        console.error(error.message);
        return json(500, { code: 500, message: error.message, type: 'RelayMisconfigured' });
      }
      relays.set(env, relay);
    }
    return relay(request);
  },
};
