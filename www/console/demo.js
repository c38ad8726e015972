// The `npm start` demo (www/start.mjs): with `?demo=1` the console asks its own origin for the demo's
// settings (GET /_demo/settings.json, served only by the local demo) and fills them in — emulator,
// project, instance, owner, a free target name, the demo bucket and access key. The emulator token
// and the S3 secret key go into the SecretStore like typed ones: this tab's memory only, never a
// field, the URL or storage. A card on top says what the demo holds and what to try.
import { byId, h } from './dom.js';

const SETTINGS_PATH = '/_demo/settings.json';

/**
 * @param {{ params: URLSearchParams, secrets: import('./secrets.js').SecretStore,
 *   connection: import('./connection.js').ConnectionPanel, form: import('./import-form.js').ImportForm }} options
 * @returns {Promise<object | null>} the settings applied, or null (no demo, or not available)
 */
export async function applyDemoSettings({ params, secrets, connection, form }) {
  if (params.get('demo') !== '1') return null;
  const card = h('section', { class: 'card', id: 'demo', 'aria-labelledby': 'demo-title' },
    h('h2', { id: 'demo-title' }, 'Demo (npm start)'));
  byId('boot-error').after(card);
  let settings;
  try {
    const response = await fetch(SETTINGS_PATH, { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    settings = await response.json();
  } catch (error) {
    card.append(h('p', { id: 'demo-status' }, `The demo's settings could not be read (${error?.message ?? error}); `
      + 'is npm start still running? Fill in the connection and the S3 source by hand.'));
    return null;
  }

  setValue(connection.emulatorUrl, settings.api);
  setValue(connection.projectId, settings.projectId);
  setValue(connection.instanceId, settings.instanceId);
  if (settings.apiVersion) connection.apiVersion.value = settings.apiVersion;
  setValue(form.databaseName, settings.databaseName);
  setValue(form.databaseOwner, settings.databaseOwner);
  if (settings.s3) {
    setValue(form.bucket, settings.s3.bucket);
    setValue(form.accessKey, settings.s3.accessKey);
    secrets.set('s3SecretKey', settings.s3.secretKey);
  }
  secrets.set('token', settings.token);
  describe(card, settings);
  return settings;
}

/** Sets a field as typing would, so the panels (placeholders, validation) see it. */
function setValue(input, value) {
  if (typeof value !== 'string') return;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

function describe(card, { s3, s3Problem, restoreSeconds }) {
  if (!s3) {
    card.append(h('p', { id: 'demo-status' }, 'Filled in: the local emulator and its token (in this tab\'s memory). ',
      `No S3 server in this demo (${s3Problem ?? 'not started'}), so Upload, Discover and Preflight have no bucket to use; `
      + 'npm start installs s3s-fs unless started with --no-s3.'));
    return;
  }
  card.append(
    h('p', { id: 'demo-status' }, 'Filled in: the local emulator and its token, and the bucket ', h('code', {}, s3.bucket),
      ' on a local S3 server (s3s-fs, which checks every signature) with its access key; the token and the S3 secret key are in this tab\'s memory only.'),
    h('p', {}, 'Try: ', h('strong', {}, 'Discover from prefix'), ' (it proposes the newest complete full set, the 3 stripes), ',
      h('strong', {}, 'Run preflight'), ', then ', h('strong', {}, 'Start import…'), ' — the emulator reads the files from the bucket; '
      + `a 10-minute restore takes ${restoreSeconds} s here. Or upload a local backup, e.g. from `, h('code', {}, s3.samplesDir), '.'),
    h('details', {}, h('summary', {}, `In the bucket (${s3.samples.length} sample backups)`),
      h('ul', { id: 'demo-samples' }, s3.samples.map(({ key, about }) => h('li', {}, h('code', {}, key), ` — ${about}`)))),
  );
}
