// Who the relay says this browser is signed in as (its `GET /relay/me`), shown under the relay's URL.
// Cloudflare Access signs the browser in with a cookie, which a cross-origin call sends only with
// `credentials: 'include'`; an OpenID Connect relay reads the pasted sign-in token as a bearer token.
import { byId, show } from './dom.js';

/** The page's fetch with cookies for the relay's origin (Cloudflare Access). */
export const fetchWithCookies = (url, init = {}) => fetch(url, { ...init, credentials: 'include' });

export class RelayIdentity {
  #connection;
  #checked = '';

  /** @param {{ connection: import('./connection.js').ConnectionPanel }} options */
  constructor({ connection }) {
    this.#connection = connection;
    this.status = byId('relay-identity');
    byId('relay-check').addEventListener('click', () => this.check({ force: true }));
    connection.onChange(() => this.check());
  }

  /** Asks the relay once per URL and credential choice (or again on `force`). */
  async check({ force = false } = {}) {
    const connection = this.#connection;
    const url = connection.relayUrl.value.trim().replace(/\/+$/, '');
    const token = connection.authMode === 'token' ? connection.relayToken() : undefined;
    const key = `${url}\n${connection.authMode}\n${token ?? ''}`;
    if (connection.target !== 'relay' || !/^https?:\/\/[^/]+/.test(url) || (key === this.#checked && !force)) return;
    this.#checked = key;
    this.#show('Asking the relay who you are…', 'pending');
    let response;
    try {
      response = await fetchWithCookies(`${url}/relay/me`, { headers: token ? { authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
    } catch {
      this.#show('The relay did not answer (is it running, and does it allow this page\'s origin?).', 'error');
      return;
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      // Not the relay's JSON: reported by status below.
    }
    if (key !== this.#checked) return; // a newer check is under way
    if (response.ok && body?.user) {
      const may = body.canTrigger
        ? `may trigger restores (at most ${body.triggerLimit.limit} per ${describeWindow(body.triggerLimit.windowSeconds)})`
        : 'may read, but not trigger restores';
      this.#show(`Signed in as ${body.user.name ? `${body.user.name} (${body.user.id})` : body.user.id}: ${may}.`, 'ok');
    } else if (response.status === 401) {
      const how = connection.authMode === 'token' ? 'paste a valid sign-in token' : 'sign in (Cloudflare Access) or choose "Bearer token" for a sign-in token';
      this.#show(`Not signed in: ${body?.message ?? 'the relay refused'}. ${how[0].toUpperCase()}${how.slice(1)}.`, 'error');
    } else {
      this.#show(`The relay refused: ${body?.message ?? `HTTP ${response.status}`}.`, 'error');
    }
  }

  #show(text, state) {
    this.status.textContent = text;
    this.status.dataset.state = state;
    show(this.status, true);
  }
}

function describeWindow(seconds) {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return `${seconds} s`;
}
