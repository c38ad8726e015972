// The preflight panel: before a long restore, read the first and last 64 KiB of every backup file
// from S3 (with the form's bucket and keys) and show per file its type, database, SQL Server
// version, stripe k of n, whether it is compressed, its backup sets and size; the database files
// the restore creates and their total against the backup's size; then the verdict and findings
// (backup-report.js draws them). With a usable connection the same
// report also covers the instance (state, target name free, owner login, running restore, version,
// storage); without one, only the backup files are checked. "Discover from prefix" reads every
// .bak under the bucket address and puts the newest complete full backup set into the file rows.
import { byId, h } from './dom.js';
import { BackupReportView } from './backup-report.js';
import { showError } from './error-text.js';
import { formatBytes } from './format.js';

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
      'Reads the first and last 64 KiB of every file from S3 and checks the backup before the restore starts: '
      + 'full backup, database, version, stripes, compression, backup sets, the space the database files need.');
    this.view = new BackupReportView('preflight', { label: 'Backup files read from S3', verdicts: VERDICT_TEXT });
    this.errorBox = h('div', { id: 'preflight-error', class: 'message message-error', hidden: true, role: 'alert' });
    container.append(h('p', { class: 'inline' }, this.button), this.status, ...this.view.elements(), this.errorBox);
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
      this.view.hide();
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
      this.view.message(sets === 0 ? 'No backup files (.bak) under this address.' : `No complete full backup set among the ${sets} found.`, 'error');
      return;
    }
    this.#form.setFiles(proposal.map((file) => file.path));
  }

  #showReport(report) {
    if (!report) return;  // discovery found nothing to check: its message stands
    this.view.show(report);
    this.view.verdict.focus();
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
