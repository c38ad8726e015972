// The upload panel: pick or drop local .bak files (one, or the stripes of a set), check their
// headers, stream them to the form's bucket in parts with a progress bar (Blob.slice: never the
// whole file in memory), then put the uploaded objects into the file rows, ready to import.
// Cancelling aborts the multipart upload in S3, so no parts are left behind.
import { h, show } from './dom.js';
import { showError } from './error-text.js';
import { formatBytes, formatDuration } from './format.js';

export class UploadPanel {
  #api;
  #form;
  #input = null;
  #addressOk = false;
  #files = [];
  #controller = null;

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
      'Each file\'s header is checked first; then it goes to the bucket address above in parts, 4 at a time.');
    this.errorBox = h('div', { id: 'upload-error', class: 'message message-error', hidden: true, role: 'alert' });
    container.append(this.dropZone, h('p', { class: 'inline' }, this.startButton, ' ', this.cancelButton),
      this.progress, this.progressText, this.status, this.errorBox);

    this.input.addEventListener('change', () => this.#choose([...this.input.files]));
    this.dropZone.addEventListener('dragover', (event) => event.preventDefault());
    this.dropZone.addEventListener('drop', (event) => {
      event.preventDefault();
      this.#choose([...(event.dataTransfer?.files ?? [])]);
    });
    this.startButton.addEventListener('click', () => this.#upload());
    this.cancelButton.addEventListener('click', () => this.#controller?.abort());
  }

  /** The import input changed: the upload needs a valid bucket address and keys. */
  update(input, errors) {
    this.#input = input;
    this.#addressOk = !errors.some((issue) => issue.field?.startsWith('s3.') && !issue.field.startsWith('s3.files'));
    this.#refresh();
  }

  #choose(files) {
    this.#files = files;
    const total = files.reduce((sum, file) => sum + file.size, 0);
    this.status.textContent = files.length === 0
      ? 'No file chosen.'
      : `${files.length} file${files.length === 1 ? '' : 's'} chosen (${formatBytes(total)}): ${files.map((f) => f.name).join(', ')}.`;
    this.#refresh();
  }

  #refresh() {
    const busy = this.#controller !== null;
    this.startButton.disabled = busy || this.#files.length === 0 || !this.#addressOk;
    this.input.disabled = busy;
  }

  async #upload() {
    if (!this.#input || this.#controller) return;
    const { s3, databaseName } = this.#input;
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
