// Bearer-token checks for every API route: static tokens from the options plus tokens the
// token endpoint issued (which expire on the emulator clock). Spec: securitySchemes
// "Authorization" on every operation; 401 → components.schemas.Error.
import { randomBytes, randomUUID } from 'node:crypto';
import { signHs256 } from './jwt.mjs';

export class TokenStore {
  #static;
  #issued = new Map();
  #secret = randomBytes(32);

  constructor({ clock, staticTokens, lifetimeSeconds }) {
    this.clock = clock;
    this.#static = new Set(staticTokens);
    this.lifetimeSeconds = lifetimeSeconds;
  }

  addStaticToken(token) {
    this.#static.add(token);
  }

  /** Mints a JWT-shaped access token (clients may read its `exp`) valid for `lifetimeSeconds`. */
  issue({ subject = 'emulator', lifetimeSeconds = this.lifetimeSeconds } = {}) {
    const nowMs = this.clock.now();
    const iat = Math.floor(nowMs / 1000);
    const expiresAtMs = nowMs + lifetimeSeconds * 1000;
    const token = signHs256({ iss: 'sqlserverflex-emulator', sub: subject, iat, exp: Math.floor(expiresAtMs / 1000), jti: randomUUID() }, this.#secret);
    this.#issued.set(token, { expiresAtMs, subject });
    return { token, expiresIn: lifetimeSeconds };
  }

  /** @returns {{ok: true} | {ok: false, reason: string}} */
  check(authorizationHeader) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorizationHeader ?? '');
    if (!match) return { ok: false, reason: 'missing bearer token: send "Authorization: Bearer <token>"' };
    const token = match[1];
    if (this.#static.has(token)) return { ok: true };
    const issued = this.#issued.get(token);
    if (!issued) return { ok: false, reason: 'unknown or invalid bearer token' };
    if (this.clock.now() >= issued.expiresAtMs) return { ok: false, reason: 'bearer token expired' };
    return { ok: true };
  }

  forgetIssued() {
    this.#issued.clear();
  }

  get issuedCount() {
    return this.#issued.size;
  }
}
