// The upload panel: pick or drop local .bak files (one, or the stripes of a set); they are checked
// at once, locally, as the preflight checks S3 objects (`inspectFiles`: compressed or not, backup
// sets, database files and sizes, verdict and findings — nothing is sent), and files the import
// would refuse (encrypted or unreadable, not a backup, a log backup, an incomplete stripe set …)
// cannot be uploaded. The rest streams to the form's bucket in parts with a progress bar
// (Blob.slice: never the whole file in memory); the uploaded objects then fill the file rows,
// ready to import. Cancelling aborts the multipart upload in S3, so no parts are left behind.
import { h, show } from './dom.js';
import { BackupReportView } from './backup-report.js';
import { showError } from './error-text.js';
import { formatBytes, formatDuration } from './format.js';

const VERDICT_TEXT = {
  ok: 'No problems found: the backup set looks restorable.',
  warning: 'Warnings: the upload can go ahead; read them before importing.',
  error: 'Not uploadable: an import of these files would fail. Nothing will be sent.',
};

export class UploadPanel {
  #api;
  #form;
  #input = null;
  #addressOk = false;
  #files = [];
  #controller = null;
  /** `inspectFiles`' report of the chosen files (null while checking or when the check failed). */
  #report = null;
  #checking = false;
  #checkedName;
  #generation = 0;

  /** @param {{ api: object, form: import('./import-form.js').ImportForm }} options */
  constructor(container, { api, form }) {
    this.#api = api;
    this.#form = form;
    this.input = h('input', { type: 'file', id: 'upload-file', accept: '.bak', multiple: true, 'aria-describedby': 'upload-status' });
    this.dropZone = h('div', { class: 'drop-zone' },
      h('label', { for: 'upload-file' }, 'Backup files (.bak; all stripes of a set)'), this.input,
      h('p', { class: 'hint' }, 'or drop files here'));
    this.startButton = h('button', { type: 'button', id: 'start-upload', disabled: true }, 'Upload to the bucket');
    this.cancelButton = h('button', { type: 'button', id: 'cancel-upload', hidden: true }, 'Cancel upload');
    this.progress = h('progress', { id: 'upload-progress', max: '100', value: '0', hidden: true, 'aria-label': 'Upload progress' });
    this.progressText = h('p', { id: 'upload-progress-text', hidden: true });
    this.status = h('p', { id: 'upload-status', class: 'hint', role: 'status' },
      'Chosen files are checked here first (header, compression, backup sets, database files; nothing is sent); '
      + 'then they go to the bucket address above in parts, 4 at a time.');
    this.view = new BackupReportView('upload', { label: 'Chosen files checked before the upload', verdicts: VERDICT_TEXT });
    this.errorBox = h('div', { id: 'upload-error', class: 'message message-error', hidden: true, role: 'alert' });
    container.append(this.dropZone, h('p', { class: 'inline' }, this.startButton, ' ', this.cancelButton),
      this.progress, this.progressText, this.status, ...this.view.elements(), this.errorBox);

    this.input.addEventListener('change', () => this.#choose([...this.input.files]));
    this.dropZone.addEventListener('dragover', (event) => event.preventDefault());
    this.dropZone.addEventListener('drop', (event) => {
      event.preventDefault();
      if (!this.#controller) this.#choose([...(event.dataTransfer?.files ?? [])]);
    });
    this.startButton.addEventListener('click', () => this.#upload());
    this.cancelButton.addEventListener('click', () => this.#controller?.abort());
  }

  /** The import input changed: the upload needs a valid bucket address and keys. */
  update(input, errors) {
    this.#input = input;
    this.#addressOk = !errors.some((issue) => issue.field?.startsWith('s3.') && !issue.field.startsWith('s3.files'));
    // The report compares the backup's database with the target's name: check again when it changes.
    // Quietly: the name changes no verdict, so the shown report stays usable meanwhile.
    if (this.#files.length > 0 && !this.#controller && this.#targetName() !== this.#checkedName) this.#inspect({ quiet: true });
    this.#refresh();
  }

  #targetName() {
    return this.#input?.databaseName || undefined;
  }

  #choose(files) {
    this.#files = files;
    showError(this.errorBox, null);
    this.#report = null;
    if (files.length === 0) {
      this.#generation += 1;
      this.#checking = false;
      this.view.hide();
      this.status.textContent = 'No file chosen.';
    } else {
      this.#inspect();
    }
    this.#refresh();
  }

  /** Checks the chosen files locally; a newer choice (or target name) makes an older answer moot. */
  async #inspect({ quiet = false } = {}) {
    const generation = ++this.#generation;
    const files = this.#files;
    this.#checkedName = this.#targetName();
    if (!quiet) {
      this.#checking = true;
      this.#refresh();
      this.status.textContent = `${this.#chosenText()} Checking…`;
    }
    try {
      const report = await this.#api.inspectFiles(files, { databaseName: this.#checkedName });
      if (generation !== this.#generation) return;
      this.#report = report;
      this.view.show(report);
      // A quiet check leaves the status alone: it may tell of an upload since.
      if (!quiet) this.status.textContent = `${this.#chosenText()} ${describeCheck(report)}`;
    } catch (error) {
      if (generation !== this.#generation || quiet) return;
      // The upload checks the headers again itself; this only costs the preview.
      this.#report = null;
      this.view.hide();
      this.status.textContent = `${this.#chosenText()} They could not be checked here; the upload checks them before sending.`;
      showError(this.errorBox, error);
    } finally {
      if (generation === this.#generation) {
        this.#checking = false;
        this.#refresh();
      }
    }
  }

  #chosenText() {
    const files = this.#files;
    const total = files.reduce((sum, file) => sum + file.size, 0);
    return `${files.length} file${files.length === 1 ? '' : 's'} chosen (${formatBytes(total)}): ${files.map((f) => f.name).join(', ')}.`;
  }

  #refresh() {
    const busy = this.#controller !== null;
    const refused = this.#report?.verdict === 'error';
    this.startButton.disabled = busy || this.#checking || refused || this.#files.length === 0 || !this.#addressOk;
    this.input.disabled = busy;
  }

  async #upload() {
    if (!this.#input || this.#controller) return;
    const { s3, databaseName } = this.#input;
    // A quiet check still running for a new target name is moot now; the next change checks again.
    this.#generation += 1;
    this.#checkedName = null;
    this.#controller = new AbortController();
    this.#refresh();
    show(this.cancelButton, true);
    show(this.progress, true);
    show(this.progressText, true);
    showError(this.errorBox, null);
    this.progress.value = 0;
    this.progressText.textContent = 'Checking the backup headers…';
    try {
      const result = await this.#api.upload(
        { s3: { bucket: s3.bucket, accessKey: s3.accessKey, secretKey: s3.secretKey }, files: this.#files, databaseName: databaseName || undefined },
        { signal: this.#controller.signal, onProgress: (event) => this.#showProgress(event) },
      );
      this.progress.value = 100;
      this.#form.setFiles(result.files.map((file) => file.path));
      this.status.textContent = `Uploaded ${result.files.length} file${result.files.length === 1 ? '' : 's'} `
        + `(${formatBytes(result.totalBytes)}) in ${formatDuration(result.elapsedMs)}; the backup files above now list them.`;
    } catch (error) {
      const aborted = error?.name === 'AbortError';
      this.status.textContent = aborted ? 'Upload cancelled; the parts sent were removed from the bucket.' : 'The upload did not complete.';
      if (!aborted) showError(this.errorBox, error, 's3');
      show(this.progress, false);
      show(this.progressText, false);
    } finally {
      this.#controller = null;
      show(this.cancelButton, false);
      this.#refresh();
    }
  }

  #showProgress({ loaded, total, percent, bytesPerSecond, etaMs, elapsedMs, file }) {
    this.progress.value = percent;
    const eta = etaMs === undefined ? '' : `, ${formatDuration(etaMs)} left`;
    this.progressText.textContent = `${percent.toFixed(0)} % — ${formatBytes(loaded)} of ${formatBytes(total)} at `
      + `${formatBytes(bytesPerSecond)}/s${eta}, ${formatDuration(elapsedMs)} elapsed (${file})`;
  }
}

/** What the check found, for the status line (announced): the refusal and its codes, or the go-ahead. */
function describeCheck(report) {
  const codes = (severity) => [...new Set(report.findings.filter((f) => f.severity === severity).map((f) => f.code))].join(', ');
  if (report.verdict === 'error') return `Refused, nothing will be sent: ${codes('error')}.`;
  if (report.verdict === 'warning') return `Checked: ready to upload, with warnings (${codes('warning')}).`;
  return 'Checked: ready to upload.';
}
