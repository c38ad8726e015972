// The connection panel: where requests go (emulator, STACKIT, relay), API version, region, project,
// instance, and the credentials (held by the SecretStore). It hands out one RestoreClient per
// connection state, so a key-flow token is fetched once and reused across calls.
import { byId, show } from './dom.js';
import { fetchWithCookies } from './relay-identity.js';
import { bindSecretInput, readSecretFile } from './secrets.js';

/** The emulator's built-in world (`sqlserverflex-restore/emulator`, DEFAULT_*): public test values. */
export const EMULATOR_DEFAULTS = Object.freeze({
  url: 'http://127.0.0.1:8787',
  projectId: '11111111-1111-4111-8111-111111111111',
  instanceId: '22222222-2222-4222-8222-222222222222',
  token: 'emulator-token',
});

const PLACEHOLDER_PROJECT = '00000000-0000-4000-8000-000000000000';

export class ConnectionPanel {
  #api;
  #secrets;
  #listeners = new Set();
  #client = null;
  #clientSettings = '';
  #clientAuth = {};
  #authIssues = [];

  /**
   * @param {{ api: object, secrets: import('./secrets.js').SecretStore, params: URLSearchParams }} options
   *   params: the page's query; `api`, `project`, `instance` preset the emulator target (never secrets).
   */
  constructor({ api, secrets, params }) {
    this.#api = api;
    this.#secrets = secrets;
    this.root = byId('connection');
    this.emulatorUrl = byId('emulator-url');
    this.relayUrl = byId('relay-url');
    this.apiVersion = byId('api-version');
    this.region = byId('region');
    this.projectId = byId('project-id');
    this.instanceId = byId('instance-id');
    this.badge = byId('target-badge');
    this.authStatus = byId('auth-status');

    this.emulatorUrl.value = params.get('api') ?? EMULATOR_DEFAULTS.url;
    this.projectId.value = params.get('project') ?? EMULATOR_DEFAULTS.projectId;
    this.instanceId.value = params.get('instance') ?? EMULATOR_DEFAULTS.instanceId;
    if (params.get('apiVersion') === 'v3alpha1') this.apiVersion.value = 'v3alpha1';

    bindSecretInput(byId('token'), secrets, 'token');
    byId('use-emulator-token').addEventListener('click', () => secrets.set('token', EMULATOR_DEFAULTS.token));
    byId('forget-secrets').addEventListener('click', () => secrets.clear());
    byId('key-file').addEventListener('change', async (event) => this.#loadKey(await readSecretFile(event.target)));
    byId('key-json').addEventListener('change', (event) => {
      const text = event.target.value;
      event.target.value = '';
      this.#loadKey(text);
    });
    byId('private-key-file').addEventListener('change', async (event) => secrets.set('privateKey', await readSecretFile(event.target)));
    byId('private-key-text').addEventListener('change', (event) => {
      const text = event.target.value;
      event.target.value = '';
      secrets.set('privateKey', text.trim() === '' ? undefined : text);
    });

    for (const radio of this.root.querySelectorAll('input[name="target"]')) {
      radio.addEventListener('change', () => {
        // A relay holds the credentials; switching to it selects "none" (Cloudflare Access signs the
        // browser in by cookie; "token" is the user's OpenID Connect sign-in token), and back to a token after.
        this.#setAuthMode(this.target === 'relay' ? 'none' : this.authMode === 'none' ? 'token' : this.authMode);
        this.#layout();
      });
    }
    for (const radio of this.root.querySelectorAll('input[name="auth"]')) radio.addEventListener('change', () => this.#layout());
    this.root.addEventListener('input', () => this.#changed());
    this.root.addEventListener('change', () => this.#changed());
    secrets.onChange(() => {
      this.#describeAuth();
      this.#changed();
    });
    this.#layout();
    this.#describeAuth();
  }

  get target() {
    return this.root.querySelector('input[name="target"]:checked').value;
  }

  get authMode() {
    return this.root.querySelector('input[name="auth"]:checked').value;
  }

  /** Called after any change of the connection (settings or credentials). */
  onChange(listener) {
    this.#listeners.add(listener);
  }

  /** The client options that are not credentials — what `validateImport` checks with the input. */
  settings() {
    const settings = { projectId: this.projectId.value.trim(), region: this.region.value.trim(), apiVersion: this.apiVersion.value };
    if (this.target === 'emulator') settings.baseUrl = this.emulatorUrl.value.trim();
    if (this.target === 'relay') settings.baseUrl = this.relayUrl.value.trim();
    return settings;
  }

  instance() {
    return this.instanceId.value.trim();
  }

  /** A short text for confirmations: "emulator http://127.0.0.1:8787 (v3)". */
  describeTarget() {
    const { baseUrl, apiVersion } = this.settings();
    const where = { emulator: 'the local emulator', stackit: 'the STACKIT API', relay: 'the relay' }[this.target];
    return `${where}${baseUrl ? ` ${baseUrl}` : ''} (${apiVersion})`;
  }

  /** The sign-in token for a relay (OpenID Connect), if one is in memory. */
  relayToken() {
    return this.#secrets.get('token');
  }

  /**
   * Missing credentials, if any, as a problem to list (a relay needs none). A token counts once it
   * is in memory (the field was left), so nothing is sent with a half-typed one.
   */
  authProblem() {
    if (this.authMode === 'none') return this.target === 'relay' ? null : 'only a relay works without credentials';
    if (this.authMode === 'token' && !this.#secrets.has('token')) return 'no bearer token in memory yet (type it, then leave the field)';
    if (this.authMode === 'key' && !this.#secrets.has('serviceAccountKey')) return 'no service-account key loaded yet';
    return null;
  }

  /** Problems with the loaded key, as `{ field, code, message }` for the field messages. */
  authIssues() {
    return this.#authIssues;
  }

  /** The client for the current connection; throws the package's ValidationError for bad settings. */
  client() {
    const settings = this.settings();
    const auth = this.#auth();
    const sameAuth = Object.keys({ ...auth, ...this.#clientAuth }).every((name) => auth[name] === this.#clientAuth[name]);
    if (!this.#client || JSON.stringify(settings) !== this.#clientSettings || !sameAuth) {
      // A relay behind Cloudflare Access needs its sign-in cookie on every (cross-origin) call.
      const transport = this.target === 'relay' ? { fetch: fetchWithCookies } : {};
      this.#client = new this.#api.RestoreClient({ ...settings, ...auth, ...transport });
      this.#clientSettings = JSON.stringify(settings);
      this.#clientAuth = auth;
    }
    return this.#client;
  }

  #auth() {
    if (this.authMode === 'token') {
      const token = this.#secrets.get('token');
      return token ? { token } : {};
    }
    if (this.authMode === 'key') {
      const auth = { serviceAccountKey: this.#secrets.get('serviceAccountKey') };
      const privateKey = this.#secrets.get('privateKey');
      if (privateKey) auth.privateKey = privateKey;
      // The emulator runs its own token endpoint; elsewhere the key's or STACKIT's is used.
      if (this.target === 'emulator') auth.tokenEndpoint = `${this.emulatorUrl.value.trim().replace(/\/+$/, '')}/token`;
      return auth;
    }
    return {};
  }

  #loadKey(text) {
    this.#authIssues = [];
    if (text === undefined || text.trim() === '') {
      this.#secrets.set('serviceAccountKey', undefined);
      return;
    }
    let key;
    try {
      key = JSON.parse(text);
    } catch {
      // Never show the text: it holds a private key.
      this.#authIssues = [{ field: 'serviceAccountKey', code: 'format', message: 'is not valid JSON (the content is not shown)' }];
      this.#secrets.set('serviceAccountKey', undefined);
      return;
    }
    try {
      // The package checks the key's shape when a client is made with it.
      new this.#api.RestoreClient({ projectId: PLACEHOLDER_PROJECT, region: 'eu01', serviceAccountKey: key });
    } catch (error) {
      this.#authIssues = error?.errors ?? [{ field: 'serviceAccountKey', code: error?.code ?? 'format', message: error?.message ?? String(error) }];
      this.#secrets.set('serviceAccountKey', undefined);
      return;
    }
    this.#secrets.set('serviceAccountKey', key);
  }

  #setAuthMode(mode) {
    this.root.querySelector(`input[name="auth"][value="${mode}"]`).checked = true;
  }

  #layout() {
    for (const element of document.querySelectorAll('[data-target-only]')) show(element, element.dataset.targetOnly === this.target);
    for (const element of this.root.querySelectorAll('[data-auth-only]')) show(element, element.dataset.authOnly === this.authMode);
    this.badge.textContent = { emulator: 'Local emulator', stackit: 'STACKIT API', relay: 'Relay' }[this.target];
    this.badge.dataset.target = this.target;
    this.#describeAuth();
    this.#changed();
  }

  #describeAuth() {
    const parts = [];
    if (this.#secrets.has('token')) parts.push('bearer token');
    const key = this.#secrets.get('serviceAccountKey');
    if (key) parts.push(`service-account key${key.credentials?.iss ? ` of ${key.credentials.iss}` : ''}`);
    if (this.#secrets.has('privateKey')) parts.push('private key');
    if (this.#secrets.has('s3SecretKey')) parts.push('S3 secret key');
    this.authStatus.textContent = parts.length === 0
      ? 'No secrets in memory.'
      : `In this tab's memory only: ${parts.join(', ')}.`;
  }

  #changed() {
    for (const listener of this.#listeners) listener();
  }
}
