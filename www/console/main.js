// The restore console: loads the package's browser entry (no bundler), wires the panels, and runs
// the package's validator on every change so problems show next to their fields as the user types.
import { byId, h, replaceChildren, show } from './dom.js';
import { SecretStore } from './secrets.js';
import { ConnectionPanel } from './connection.js';
import { RelayIdentity } from './relay-identity.js';
import { ImportForm } from './import-form.js';
import { FieldMessages } from './field-messages.js';
import { CurlPanel } from './curl-panel.js';
import { ProgressView } from './progress-view.js';
import { RestoreRunner } from './restore-run.js';
import { RunningJobs } from './running-jobs.js';
import { BackupsPanel } from './backups.js';
import { PreflightPanel } from './preflight-panel.js';
import { UploadPanel } from './upload-panel.js';
import { applyDemoSettings } from './demo.js';

// Fields of the connection: their problems block the read-only panels too.
const CONNECTION_FIELDS = new Set(['projectId', 'region', 'apiVersion', 'baseUrl', 'instanceId']);

// A file dropped anywhere but the upload zone must not make the browser leave the page (and lose
// what is in memory).
for (const type of ['dragover', 'drop']) window.addEventListener(type, (event) => event.preventDefault());

let api;
try {
  api = await import('/pkg/browser.mjs');
} catch (error) {
  const box = byId('boot-error');
  box.textContent = `The package could not be loaded from /pkg/ (${error?.message ?? error}). Run npm start, which builds it.`;
  show(box, true);
  throw error;
}

byId('version').textContent = api.version;
const params = new URLSearchParams(location.search);
const secrets = new SecretStore();
const connection = new ConnectionPanel({ api, secrets, params });
new RelayIdentity({ connection });
const form = new ImportForm({ secrets });
const messages = new FieldMessages([byId('connection'), byId('import')]);
const curl = new CurlPanel({ api });
const view = new ProgressView();
const runner = new RestoreRunner({ connection, view });
const jobs = new RunningJobs({ connection });
const backups = new BackupsPanel({ api, connection, runner });
const preflight = new PreflightPanel(byId('preflight-panel'), { api, connection, form });
const upload = new UploadPanel(byId('upload-panel'), { api, form });
const trigger = byId('trigger');
const problems = byId('problems');

let scheduled = false;
function scheduleValidation() {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    validate();
  });
}

/** The package's validation of the whole input and connection, shown beside the fields. */
function validate() {
  const settings = connection.settings();
  const input = form.read(connection.instance());
  const result = api.validateImport(input, settings);
  const errors = [...result.errors, ...connection.authIssues()];
  const placed = messages.render({ errors, warnings: result.warnings });
  const authProblem = connection.authProblem();

  const items = placed.map(({ issue, field }) => {
    const label = messages.labelOf(field, issue.field);
    return h('li', {}, h('button', {
      type: 'button',
      class: 'link',
      onclick: () => {
        messages.touchAll();
        validate();
        (field && messages.controlOf(field))?.focus();
      },
    }, `${label}: ${issue.message}`));
  });
  if (authProblem) {
    items.push(h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => focusAuth() }, `Authentication: ${authProblem}`)));
  }
  if (items.length > 0) {
    replaceChildren(problems, h('p', {}, `${items.length} thing${items.length === 1 ? '' : 's'} to fix before starting:`), h('ul', {}, items));
  } else {
    replaceChildren(problems, h('p', { class: 'ready' }, result.warnings.length > 0
      ? `Ready to start (${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'} shown above).`
      : 'Ready to start.'));
  }
  if (runner.running) problems.append(h('p', {}, 'A restore is being watched below; stop watching to start another.'));
  trigger.disabled = items.length > 0 || runner.running;
  curl.update(settings, input, result.ok);

  const connectionErrors = errors.filter((issue) => CONNECTION_FIELDS.has(issue.field));
  const readyReason = connectionErrors.length > 0
    ? 'Waiting for a valid connection and instance ID.'
    : authProblem ? `Waiting for credentials (${authProblem}).` : '';
  preflight.update(input, result.errors, readyReason === '');
  upload.update(input, result.errors);
  jobs.setReady(readyReason === '', readyReason);
  backups.setReady(readyReason === '', readyReason);
}

function focusAuth() {
  const mode = connection.authMode;
  if (mode === 'none') document.querySelector('input[name="auth"][value="token"]').focus();
  else byId(mode === 'key' ? 'key-json' : 'token').focus();
}

async function startImport() {
  const input = form.read(connection.instance());
  const check = api.validateImport(input, connection.settings());
  if (!check.ok) {
    messages.touchAll();
    validate();
    return;
  }
  // One logging GUID for what is confirmed, sent and shown.
  input.loggingGuid = check.normalized.loggingGuid;
  const files = input.s3.files.length;
  const accepted = await runner.run({
    confirmTitle: 'Start the import?',
    facts: [
      ['Target', connection.describeTarget()],
      ['Instance', input.instanceId],
      ['New database', input.databaseName],
      ['Owner', input.databaseOwner],
      ['Source', `${files} file${files === 1 ? '' : 's'} in ${check.normalized.s3.bucket}`],
      ['Logging GUID', input.loggingGuid],
    ],
    title: `Import of ${input.databaseName}`,
    instanceId: input.instanceId,
    databaseName: input.databaseName,
    trigger: (client, signal) => client.importFromS3(input, { signal }),
  });
  if (accepted) form.nextImport();
}

connection.onChange(scheduleValidation);
form.onChange(scheduleValidation);
runner.onChange((phase) => {
  scheduleValidation();
  if (phase === 'accepted' || phase === 'ended') jobs.refresh({ quiet: true });
});
trigger.addEventListener('click', () => startImport());
// `npm start` opens the console with ?demo=1: its settings (and secrets, into memory) come from the demo.
await applyDemoSettings({ params, secrets, connection, form });
validate();
byId('console').setAttribute('aria-busy', 'false');
document.documentElement.dataset.ready = 'true';
