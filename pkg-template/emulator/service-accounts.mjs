// Service-account keys the token endpoint trusts (key flow, stackit-api.md "Authentication").
// A key JSON looks like STACKIT's: {id, publicKey, createdAt, keyType, keyOrigin, keyAlgorithm,
// validUntil, active, credentials: {kid, iss, sub, aud, privateKey, tokenEndpoint}}.
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';

const KEY_LIFETIME_MS = 365 * 24 * 3_600_000;

export class ServiceAccountRegistry {
  #keys = new Map();

  /**
   * Trusts a public key. Accepts a registration {kid, publicKey, iss, sub, validUntil?, active?}
   * or a whole service-account key JSON (its `credentials` give kid/iss/sub).
   */
  register(keyOrRegistration) {
    const r = keyOrRegistration.credentials
      ? { ...keyOrRegistration.credentials, publicKey: keyOrRegistration.publicKey, validUntil: keyOrRegistration.validUntil, active: keyOrRegistration.active }
      : keyOrRegistration;
    for (const field of ['kid', 'publicKey', 'iss', 'sub']) {
      if (typeof r[field] !== 'string' || r[field] === '') throw new TypeError(`service-account key registration needs a string ${field}`);
    }
    const validUntilMs = r.validUntil === undefined || r.validUntil === null ? Infinity : Date.parse(r.validUntil);
    if (Number.isNaN(validUntilMs)) throw new TypeError('validUntil must be an RFC 3339 time');
    this.#keys.set(r.kid, {
      kid: r.kid,
      iss: r.iss,
      sub: r.sub,
      publicKey: createPublicKey(r.publicKey),
      validUntilMs,
      active: r.active !== false,
    });
  }

  find(kid) {
    return this.#keys.get(kid) ?? null;
  }

  get size() {
    return this.#keys.size;
  }
}

/**
 * A fresh RSA-2048 service-account key JSON (including its PKCS#8 private key) in STACKIT's shape.
 * Register it with `ServiceAccountRegistry.register(key)` (the emulator's addServiceAccount does).
 */
export function createServiceAccountKey({ audience, tokenEndpoint, email, nowMs = Date.now(), validForMs = KEY_LIFETIME_MS } = {}) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const serviceAccountEmail = email ?? `emulator-${kid.slice(0, 8)}@sa.stackit.cloud`;
  return {
    id: kid,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }),
    createdAt: new Date(nowMs).toISOString(),
    keyType: 'USER_MANAGED',
    keyOrigin: 'GENERATED',
    keyAlgorithm: 'RSA_2048',
    validUntil: new Date(nowMs + validForMs).toISOString(),
    active: true,
    credentials: {
      kid,
      iss: serviceAccountEmail,
      sub: randomUUID(),
      aud: audience,
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      ...(tokenEndpoint ? { tokenEndpoint } : {}),
    },
  };
}
