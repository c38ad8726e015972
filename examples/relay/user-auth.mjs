// Who is asking: the relay's user sign-in, checked before anything is forwarded.
// - Cloudflare Access: the `Cf-Access-Jwt-Assertion` header (or the `CF_Authorization` cookie) that
//   Access adds in front of the relay, an RS256 JWT verified against the team's JWKS
//   (`<team domain>/cdn-cgi/access/certs`), `aud` = the Access application's tag, `iss` = the team domain.
// - Any OpenID Connect provider: `Authorization: Bearer <JWT>` verified against the keys named by the
//   issuer's discovery document (`<issuer>/.well-known/openid-configuration` → `jwks_uri`).
// Keys are cached and refetched when a token names an unknown `kid` (key rotation), at most once per
// cool-down so forged `kid`s cannot make the relay hammer the provider. WebCrypto only, no dependencies.

const CLOCK_SKEW_SECONDS = 60;
const KEYS_MAX_AGE_MS = 10 * 60 * 1000;
const DEFAULT_KEYS_COOLDOWN_SECONDS = 30;
const MAX_TOKEN_CHARS = 16 * 1024;
const ALGORITHMS = {
  RS256: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verify: { name: 'RSASSA-PKCS1-v1_5' }, kty: 'RSA' },
  RS384: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, verify: { name: 'RSASSA-PKCS1-v1_5' }, kty: 'RSA' },
  RS512: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }, verify: { name: 'RSASSA-PKCS1-v1_5' }, kty: 'RSA' },
  ES256: { import: { name: 'ECDSA', namedCurve: 'P-256' }, verify: { name: 'ECDSA', hash: 'SHA-256' }, kty: 'EC' },
  ES384: { import: { name: 'ECDSA', namedCurve: 'P-384' }, verify: { name: 'ECDSA', hash: 'SHA-384' }, kty: 'EC' },
};

export const UNAUTHENTICATED_LOOPBACK = 'loopback';

/** A refused sign-in: the message is safe to show (never contains the token); `user` when one was verified. */
export class SignInError extends Error {
  constructor(reason, status = 401) {
    super(reason);
    this.name = 'SignInError';
    this.status = status;
  }
}

/**
 * The sign-in settings from string bindings. Throws naming the missing setting when none is
 * configured, unless `RELAY_ALLOW_UNAUTHENTICATED=loopback` (then the relay serves loopback only).
 */
export function signInConfigFromEnv(env) {
  const text = (name) => (typeof env[name] === 'string' ? env[name].trim() : '');
  const list = (name) => text(name).split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);
  const common = {
    allowedEmails: list('RELAY_ALLOWED_EMAILS'),
    allowedGroups: list('RELAY_ALLOWED_GROUPS'),
    triggerUsers: list('RELAY_TRIGGER_USERS'),
    triggerGroups: list('RELAY_TRIGGER_GROUPS'),
    groupsClaim: text('RELAY_GROUPS_CLAIM') || 'groups',
    keysCooldownMs: cooldownSeconds(text('RELAY_KEYS_COOLDOWN_SECONDS')) * 1000,
  };
  const access = text('RELAY_ACCESS_TEAM_DOMAIN');
  const issuer = text('RELAY_OIDC_ISSUER');
  const unauthenticated = text('RELAY_ALLOW_UNAUTHENTICATED');
  if (access && issuer) throw new Error('relay: set either RELAY_ACCESS_TEAM_DOMAIN (Cloudflare Access) or RELAY_OIDC_ISSUER (OpenID Connect), not both');
  if (access) {
    const audience = text('RELAY_ACCESS_AUD');
    if (!audience) throw new Error('relay: RELAY_ACCESS_AUD is not set (the Access application\'s audience tag)');
    const teamDomain = httpsOrigin('RELAY_ACCESS_TEAM_DOMAIN', access.includes('://') ? access : `https://${access}`);
    return { ...common, mode: 'cloudflare-access', issuer: teamDomain, audience, keysUrl: `${teamDomain}/cdn-cgi/access/certs` };
  }
  if (issuer) {
    const audience = text('RELAY_OIDC_AUDIENCE');
    if (!audience) throw new Error('relay: RELAY_OIDC_AUDIENCE is not set (the client ID or API audience the tokens are issued for)');
    httpsOrigin('RELAY_OIDC_ISSUER', issuer);
    return { ...common, mode: 'oidc', issuer: issuer.replace(/\/+$/, ''), audience, keysUrl: null };
  }
  if (unauthenticated === UNAUTHENTICATED_LOOPBACK) return { ...common, mode: UNAUTHENTICATED_LOOPBACK };
  if (unauthenticated) throw new Error('relay: RELAY_ALLOW_UNAUTHENTICATED accepts only "loopback"');
  throw new Error('relay: no user sign-in is configured: set RELAY_ACCESS_TEAM_DOMAIN and RELAY_ACCESS_AUD (Cloudflare Access) '
    + 'or RELAY_OIDC_ISSUER and RELAY_OIDC_AUDIENCE (OpenID Connect); only for local use, RELAY_ALLOW_UNAUTHENTICATED=loopback '
    + 'serves unauthenticated requests on loopback');
}

function cooldownSeconds(text) {
  if (text === '') return DEFAULT_KEYS_COOLDOWN_SECONDS;
  if (!/^\d{1,6}$/.test(text)) throw new Error('relay: RELAY_KEYS_COOLDOWN_SECONDS must be a whole number of seconds');
  return Number(text);
}

/** `https://host[:port]` (http only for a loopback host, i.e. a local test provider). */
function httpsOrigin(name, value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`relay: ${name} is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new Error(`relay: ${name} must be an https:// URL`);
  }
  return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** True for 127.0.0.0/8, ::1 and localhost (as in a URL's hostname). */
export function isLoopbackHost(hostname) {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * @param {ReturnType<typeof signInConfigFromEnv>} config
 * @param {{ fetch: typeof fetch, now: () => number }} runtime
 * @returns {{ mode: string, authenticate(request: Request): Promise<User> }}
 *   where `User` is `{ id, email, name, subject, groups }`; throws SignInError.
 */
export function createSignIn(config, { fetch: fetchImpl, now }) {
  if (config.mode === UNAUTHENTICATED_LOOPBACK) {
    return {
      mode: config.mode,
      async authenticate(request) {
        if (!isLoopbackHost(new URL(request.url).hostname)) {
          throw new SignInError('RELAY_ALLOW_UNAUTHENTICATED=loopback serves loopback requests only', 403);
        }
        return { id: 'local user (unauthenticated, loopback)', email: null, name: null, subject: null, groups: [] };
      },
    };
  }
  const keys = createKeySource(config, fetchImpl, now);
  return {
    mode: config.mode,
    async authenticate(request) {
      const token = config.mode === 'cloudflare-access' ? accessToken(request) : bearerToken(request);
      if (!token) {
        throw new SignInError(config.mode === 'cloudflare-access'
          ? 'not signed in: no Cloudflare Access token (Cf-Access-Jwt-Assertion) came with the request'
          : 'not signed in: send the sign-in token as Authorization: Bearer');
      }
      const claims = await verifyJwt(token, config, keys, now);
      const user = userFromClaims(claims, config);
      if (config.allowedEmails.length > 0 || config.allowedGroups.length > 0) {
        const allowed = (user.email && config.allowedEmails.includes(user.email))
          || user.groups.some((group) => config.allowedGroups.includes(group));
        if (!allowed) throw Object.assign(new SignInError(`${user.id} is not allowed to use this relay`, 403), { user: user.id });
      }
      return user;
    },
  };
}

/** May this user trigger restores? Everyone, unless trigger users or groups are listed. */
export function mayTrigger(config, user) {
  if (config.triggerUsers.length === 0 && config.triggerGroups.length === 0) return true;
  return [user.email, user.subject].some((id) => id && config.triggerUsers.includes(id.toLowerCase()))
    || user.groups.some((group) => config.triggerGroups.includes(group));
}

function accessToken(request) {
  const header = request.headers.get('cf-access-jwt-assertion');
  if (header) return header.trim();
  const cookie = request.headers.get('cookie') ?? '';
  return /(?:^|;\s*)CF_Authorization=([^;]+)/.exec(cookie)?.[1] ?? null;
}

function bearerToken(request) {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? null;
}

function userFromClaims(claims, config) {
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : null;
  const subject = typeof claims.sub === 'string' ? claims.sub : null;
  const rawGroups = claims[config.groupsClaim] ?? claims.custom?.[config.groupsClaim];
  const groups = Array.isArray(rawGroups) ? rawGroups.filter((g) => typeof g === 'string').map((g) => g.toLowerCase()) : [];
  const name = typeof claims.name === 'string' ? claims.name : null;
  const id = email ?? subject;
  if (!id) throw new SignInError('the sign-in token names no user (no email or sub claim)');
  return { id, email, name, subject, groups };
}

async function verifyJwt(token, config, keys, now) {
  if (token.length > MAX_TOKEN_CHARS) throw new SignInError('the sign-in token is too long');
  const parts = token.split('.');
  if (parts.length !== 3) throw new SignInError('the sign-in token is not a JWT');
  const header = jsonPart(parts[0], 'header');
  const claims = jsonPart(parts[1], 'claims');
  const algorithm = ALGORITHMS[header.alg];
  if (!algorithm) throw new SignInError(`the sign-in token's algorithm ${JSON.stringify(String(header.alg)).slice(0, 20)} is not accepted`);
  const key = await keys.find(typeof header.kid === 'string' ? header.kid : null, header.alg);
  if (!key) throw new SignInError('the sign-in token was signed by an unknown key');
  let signature;
  try {
    signature = base64urlDecode(parts[2]);
  } catch {
    throw new SignInError('the sign-in token is not a JWT');
  }
  const valid = await crypto.subtle.verify(algorithm.verify, key, signature, new TextEncoder().encode(`${parts[0]}.${parts[1]}`));
  if (!valid) throw new SignInError('the sign-in token\'s signature is not valid');

  const seconds = now() / 1000;
  if (claims.iss !== config.issuer) throw new SignInError(`the sign-in token was not issued by ${config.issuer}`);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(config.audience)) throw new SignInError('the sign-in token is for another audience');
  if (typeof claims.exp !== 'number') throw new SignInError('the sign-in token has no expiry');
  if (claims.exp + CLOCK_SKEW_SECONDS <= seconds) throw new SignInError('the sign-in token has expired: sign in again');
  if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_SKEW_SECONDS > seconds) throw new SignInError('the sign-in token is not valid yet');
  if (typeof claims.iat === 'number' && claims.iat - CLOCK_SKEW_SECONDS > seconds) throw new SignInError('the sign-in token was issued in the future');
  return claims;
}

function jsonPart(part, what) {
  let value;
  try {
    value = JSON.parse(new TextDecoder().decode(base64urlDecode(part)));
  } catch {
    throw new SignInError(`the sign-in token's ${what} is not base64url JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SignInError(`the sign-in token's ${what} is not a JSON object`);
  return value;
}

function base64urlDecode(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The provider's signing keys: fetched on first use, kept for KEYS_MAX_AGE_MS, refetched for an unknown kid. */
function createKeySource(config, fetchImpl, now) {
  let cache = null; // { keys: Map<kid|'', {jwk, imported: Map<alg, CryptoKey>}>, fetchedAt }
  let pending = null;
  let keysUrl = config.keysUrl;

  async function load() {
    pending ??= (async () => {
      try {
        keysUrl ??= await discoverKeysUrl(config, fetchImpl);
        const jwks = await fetchJson(fetchImpl, keysUrl, 'the signing keys');
        if (!Array.isArray(jwks.keys)) throw new SignInError('the provider\'s key set has no keys', 503);
        const keys = new Map();
        for (const jwk of jwks.keys) {
          if (jwk && typeof jwk === 'object' && (jwk.use === undefined || jwk.use === 'sig')) keys.set(typeof jwk.kid === 'string' ? jwk.kid : '', { jwk, imported: new Map() });
        }
        cache = { keys, fetchedAt: now() };
      } finally {
        pending = null;
      }
    })();
    return pending;
  }

  const pick = (kid) => (kid === null ? (cache.keys.size === 1 ? [...cache.keys.values()][0] : undefined) : cache.keys.get(kid));

  return {
    async find(kid, alg) {
      if (!cache || now() - cache.fetchedAt > KEYS_MAX_AGE_MS) {
        try {
          await load();
        } catch (error) {
          // The provider is down: keep trusting the keys it published last, and ask again later.
          if (!cache) throw error;
          cache.fetchedAt = now();
        }
      }
      let entry = pick(kid);
      if (!entry && now() - cache.fetchedAt >= config.keysCooldownMs) {
        await load();
        entry = pick(kid);
      }
      if (!entry) return null;
      const { jwk } = entry;
      if ((jwk.alg !== undefined && jwk.alg !== alg) || jwk.kty !== ALGORITHMS[alg].kty) return null;
      if (!entry.imported.has(alg)) {
        const bare = jwk.kty === 'RSA' ? { kty: 'RSA', n: jwk.n, e: jwk.e } : { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
        try {
          entry.imported.set(alg, await crypto.subtle.importKey('jwk', bare, ALGORITHMS[alg].import, false, ['verify']));
        } catch {
          return null;
        }
      }
      return entry.imported.get(alg);
    },
  };
}

async function discoverKeysUrl(config, fetchImpl) {
  const discovery = await fetchJson(fetchImpl, `${config.issuer}/.well-known/openid-configuration`, 'the provider\'s discovery document');
  if (discovery.issuer !== config.issuer) throw new SignInError(`the discovery document names issuer ${String(discovery.issuer).slice(0, 200)}, not ${config.issuer}`, 503);
  if (typeof discovery.jwks_uri !== 'string') throw new SignInError('the discovery document has no jwks_uri', 503);
  httpsOrigin('jwks_uri', discovery.jwks_uri);
  return discovery.jwks_uri;
}

async function fetchJson(fetchImpl, url, what) {
  let response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' }, redirect: 'follow' });
  } catch {
    throw new SignInError(`the relay could not fetch ${what}`, 503);
  }
  if (!response.ok) throw new SignInError(`the relay could not fetch ${what} (HTTP ${response.status})`, 503);
  try {
    return await response.json();
  } catch {
    throw new SignInError(`${what} is not JSON`, 503);
  }
}
