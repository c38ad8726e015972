// Minimal JWT (RFC 7519) encoding: enough to verify RS512 assertions from service-account keys
// and to mint the emulator's own HS256 access tokens. node:crypto only.
import { createHmac, verify } from 'node:crypto';

export function base64url(input) {
  return Buffer.from(input).toString('base64url');
}

/** Splits and decodes a compact JWS; null when it is not one. */
export function parseJwt(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!isObject(header) || !isObject(payload)) return null;
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return null;
  }
}

/** RS512 = RSASSA-PKCS1-v1_5 with SHA-512 (RFC 7518 §3.3). */
export function verifyRs512(signingInput, signature, publicKey) {
  try {
    return verify('sha512', Buffer.from(signingInput), publicKey, signature);
  } catch {
    return false;
  }
}

export function signHs256(payload, secret) {
  const signingInput = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
