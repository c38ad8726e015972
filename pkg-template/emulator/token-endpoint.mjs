// POST /token — the service-account key flow (stackit-api.md "Authentication"):
//   application/x-www-form-urlencoded grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<jwt>
//   → {access_token, expires_in, refresh_token, scope, token_type}
// The assertion is an RS512 JWT with header {alg, typ, kid} and claims iss, sub, aud, jti, iat, exp.
// Errors carry OAuth 2.0 fields (RFC 6749 §5.2) plus `message`: 400 for a malformed request,
// 401 when the assertion does not verify.
import { randomBytes } from 'node:crypto';
import { parseJwt, verifyRs512 } from './jwt.mjs';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * @param {object} deps
 * @param {import('./service-accounts.mjs').ServiceAccountRegistry} deps.serviceAccounts
 * @param {import('./auth.mjs').TokenStore} deps.tokens
 * @param {{now: () => number}} deps.clock
 * @param {() => string[]} deps.audiences  accepted `aud` values
 */
export function handleTokenRequest({ headers, rawBody }, { serviceAccounts, tokens, clock, audiences }) {
  const contentType = String(headers['content-type'] ?? '').toLowerCase();
  if (!contentType.startsWith('application/x-www-form-urlencoded')) {
    return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(rawBody);
  if (form.get('grant_type') !== JWT_BEARER_GRANT) {
    return oauthError(400, 'unsupported_grant_type', `grant_type must be ${JWT_BEARER_GRANT}`);
  }
  const assertion = form.get('assertion');
  if (!assertion) return oauthError(400, 'invalid_request', 'assertion is required');
  const jwt = parseJwt(assertion);
  if (!jwt) return oauthError(400, 'invalid_request', 'assertion is not a compact JWT');
  if (jwt.header.alg !== 'RS512') return oauthError(400, 'invalid_request', 'assertion header alg must be RS512');
  if (jwt.header.typ !== undefined && jwt.header.typ !== 'JWT') return oauthError(400, 'invalid_request', 'assertion header typ must be JWT');
  if (typeof jwt.header.kid !== 'string') return oauthError(400, 'invalid_request', 'assertion header kid is required');

  const key = serviceAccounts.find(jwt.header.kid);
  const nowMs = clock.now();
  const claims = jwt.payload;
  if (!key) return oauthError(401, 'invalid_grant', 'no service-account key with this kid is registered');
  if (!key.active || nowMs >= key.validUntilMs) return oauthError(401, 'invalid_grant', 'service-account key is inactive or expired');
  if (!verifyRs512(jwt.signingInput, jwt.signature, key.publicKey)) return oauthError(401, 'invalid_grant', 'assertion signature does not verify');
  if (claims.iss !== key.iss || claims.sub !== key.sub) return oauthError(401, 'invalid_grant', 'assertion iss/sub do not match the service account of this key');
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.some((aud) => audiences().includes(aud))) return oauthError(401, 'invalid_grant', `assertion aud must be one of ${audiences().join(', ')}`);
  if (typeof claims.iat !== 'number') return oauthError(401, 'invalid_grant', 'assertion iat is required');
  if (typeof claims.exp !== 'number') return oauthError(401, 'invalid_grant', 'assertion exp is required');
  if (claims.exp * 1000 <= nowMs) return oauthError(401, 'invalid_grant', 'assertion expired');

  const { token, expiresIn } = tokens.issue({ subject: key.sub });
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: {
      access_token: token,
      expires_in: expiresIn,
      // Refresh tokens are deprecated by STACKIT (re-sign instead); one is returned for shape only.
      refresh_token: randomBytes(24).toString('base64url'),
      scope: '',
      token_type: 'Bearer',
    },
  };
}

function oauthError(status, error, description) {
  return { status, body: { error, error_description: description, message: description } };
}
