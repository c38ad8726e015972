// The preflight panel: before a long restore, read the first bytes of every backup file from S3
// (with the form's bucket and keys) and show per file its type, database, SQL Server version,
// stripe k of n and size, then the set's verdict and findings. With a usable connection the same
// report also covers the instance (state, target name free, owner login, running restore, version,
// storage); without one, only the backup files are checked. "Discover from prefix" reads every
// .bak under the bucket address and puts the newest complete full backup set into the file rows.
import { byId, h, replaceChildren, show } from './dom.js';
import { showError } from './error-text.js';
import { formatBytes } from './format.js';

export const PREFLIGHT_COLUMNS = ['File', 'Type', 'Database', 'SQL Server', 'Stripe', 'Size'];

const STATUS_TEXT = { missing: 'missing', access_denied: 'access denied', failed: 'not readable' };
const VERDICT_TEXT = {
  ok: 'No problems found: the backup set looks restorable.',
  warning: 'Warnings: the restore may work; read them before starting.',
  error: 'Problems found: this restore would fail. Fix them before starting.',
};

export class PreflightPanel {
  #api;
  #connection;
  #form;
  #input = null;
  #connectionReady = false;
  #running = false;

  /** @param {{ api: object, connection: import('./connection.js').ConnectionPanel, form: import('./import-form.js').ImportForm }} options */
  constructor(container, { api, connection, form }) {
    this.#api = api;
    this.#connection = connection;
    this.#form = form;
    this.button = h('button', { type: 'button', id: 'run-preflight', disabled: true, 'aria-describedby': 'preflight-status' }, 'Run preflight');
    this.status = h('p', { id: 'preflight-status', class: 'hint', role: 'status' },
      'Reads the first 64 KiB of every file from S3 and checks the backup headers (full backup, database, '
      + 'version, stripes) before the restore starts.');
    this.table = h('table', { id: 'preflight-table', hidden: true },
      h('thead', {}, h('tr', {}, PREFLIGHT_COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody'));
    this.verdict = h('div', { id: 'preflight-verdict', hidden: true, tabindex: '-1' });
    this.errorBox = h('div', { id: 'preflight-error', class: 'message message-error', hidden: true, role: 'alert' });
    container.append(h('p', { class: 'inline' }, this.button), this.status,
      h('div', { class: 'table-scroll' }, this.table), this.verdict, this.errorBox);
    this.button.addEventListener('click', () => this.#run({ discover: false }));

    this.discoverButton = byId('discover-files');
    this.discoverButton.addEventListener('click', () => this.#run({ discover: true }));
  }

  /**
   * The import input changed. `errors` are the validator's: the preflight needs a valid bucket and
   * keys (and valid files unless it discovers them); `connectionReady` adds the instance checks.
   */
  update(input, errors, connectionReady) {
    this.#input = input;
    this.#connectionReady = connectionReady;
    const s3Errors = errors.filter((issue) => issue.field?.startsWith('s3.'));
    const addressOk = !s3Errors.some((issue) => !issue.field.startsWith('s3.files'));
    this.button.disabled = this.#running || s3Errors.length > 0;
    this.discoverButton.disabled = this.#running || !addressOk;
  }

  async #run({ discover }) {
    if (!this.#input || this.#running) return;
    const { s3, databaseName } = this.#input;
    const withInstance = this.#connectionReady;
    this.#setRunning(true);
    this.status.textContent = discover ? 'Listing the bucket address and reading every backup header…' : 'Reading the backup headers…';
    showError(this.errorBox, null);
    try {
      const s3Input = discover ? { ...s3, files: undefined } : s3;
      const outcome = withInstance
        ? await this.#connection.client().preflight({ ...this.#input, s3: s3Input })
        : await this.#api.preflight({ s3: s3Input, databaseName: databaseName || undefined });
      if (discover) this.#applyDiscovery(outcome);
      this.#showReport(outcome.report);
      const reads = `${outcome.requests} S3 request${outcome.requests === 1 ? '' : 's'}, ${formatBytes(outcome.bytesRead)} read`;
      this.status.textContent = withInstance
        ? `${reads}; instance checks: ${describeChecks(outcome.checks)}.`
        : `${reads}; the instance was not checked (it needs a valid connection and instance ID).`;
    } catch (error) {
      show(this.table, false);
      show(this.verdict, false);
      this.status.textContent = 'The preflight could not run.';
      showError(this.errorBox, error, 's3');
    } finally {
      this.#setRunning(false);
    }
  }

  #applyDiscovery({ discovery }) {
    const proposal = discovery?.proposal;
    if (!proposal || proposal.length === 0) {
      const sets = discovery?.sets?.length ?? 0;
      replaceChildren(this.verdict, h('p', { class: 'verdict verdict-error' },
        sets === 0 ? 'No backup files (.bak) under this address.' : `No complete full backup set among the ${sets} found.`));
      return;
    }
    this.#form.setFiles(proposal.map((file) => file.path));
  }

  #showReport(report) {
    if (!report) {
      show(this.table, false);
      show(this.verdict, true);
      return;
    }
    replaceChildren(this.table.querySelector('tbody'), report.files.map((file) => fileRow(file)));
    show(this.table, true);
    const findings = report.findings.map((finding) => h('li', { class: `finding finding-${finding.severity}` },
      h('strong', {}, `${finding.severity}: `), h('code', {}, finding.code), ` ${finding.message}`));
    replaceChildren(this.verdict,
      h('p', { class: `verdict verdict-${report.verdict}`, id: 'preflight-verdict-text' }, VERDICT_TEXT[report.verdict] ?? report.verdict),
      findings.length > 0 ? h('ul', { class: 'findings' }, findings) : '');
    show(this.verdict, true);
    this.verdict.focus();
  }

  #setRunning(running) {
    this.#running = running;
    this.button.disabled = running;
    this.discoverButton.disabled = running;
    this.button.setAttribute('aria-busy', String(running));
    // Re-evaluate what is allowed with the current input.
    if (!running) this.#form.changed();
  }
}

function describeChecks(checks = []) {
  return checks.map(({ check, status }) => `${check} ${status}`).join(', ') || 'none';
}

function fileRow(file) {
  const header = file.header;
  const name = file.path.slice(file.path.lastIndexOf('/') + 1) || file.path;
  const type = header
    ? header.kind === 'MTF' ? (header.backupType ?? 'unknown').toLowerCase() : header.kind.toLowerCase().replaceAll('_', ' ')
    : STATUS_TEXT[file.status] ?? file.status;
  const stripe = header?.familyCount ? `${header.familySequence ?? '?'} of ${header.familyCount}` : '–';
  return h('tr', {},
    h('th', { scope: 'row', title: file.path }, name),
    h('td', {}, type),
    h('td', {}, header?.databaseName ?? '–'),
    h('td', {}, header?.sqlServerVersion ?? '–'),
    h('td', {}, stripe),
    h('td', {}, file.size === undefined ? '–' : formatBytes(file.size)));
}
