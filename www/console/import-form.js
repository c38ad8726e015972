// The import form: target database, owner, logging GUID, the S3 bucket and keys, and the backup
// files as rows (stripe 1, 2, … in order) that can be added and removed. It only reads and lays
// out fields; validation is the package's (main.js runs it on every change).
import { byId, h } from './dom.js';
import { bindSecretInput } from './secrets.js';

export class ImportForm {
  #secretKey;
  #listeners = new Set();

  /** @param {{ secrets: import('./secrets.js').SecretStore }} options */
  constructor({ secrets }) {
    this.root = byId('import');
    this.databaseName = byId('database-name');
    this.databaseOwner = byId('database-owner');
    this.loggingGuid = byId('logging-guid');
    this.bucket = byId('s3-bucket');
    this.accessKey = byId('s3-access-key');
    this.files = byId('files');
    this.addButton = byId('add-file');
    this.addButton.dataset.control = '';
    this.#secretKey = bindSecretInput(byId('s3-secret-key'), secrets, 's3SecretKey');
    secrets.onChange(() => this.#changed());

    this.loggingGuid.value = crypto.randomUUID();
    byId('new-logging-guid').addEventListener('click', () => {
      this.loggingGuid.value = crypto.randomUUID();
      this.#changed();
    });
    this.addButton.addEventListener('click', () => this.addFile('', { focus: true }));
    this.bucket.addEventListener('input', () => this.#placeholders());
    this.root.addEventListener('input', () => this.#changed());
    this.root.addEventListener('change', () => this.#changed());
    this.addFile('');
  }

  onChange(listener) {
    this.#listeners.add(listener);
  }

  /** The import input for `validateImport` / `importFromS3` (secret from memory). */
  read(instanceId) {
    const input = {
      instanceId,
      databaseName: this.databaseName.value.trim(),
      databaseOwner: this.databaseOwner.value.trim(),
      s3: {
        bucket: this.bucket.value.trim(),
        accessKey: this.accessKey.value.trim(),
        secretKey: this.#secretKey.current() ?? '',
        files: [...this.files.querySelectorAll('input')].map((input) => ({ path: input.value.trim() })),
      },
    };
    const guid = this.loggingGuid.value.trim();
    if (guid !== '') input.loggingGuid = guid;
    return input;
  }

  /** Adds a file row (stripe N) and optionally moves the focus into it. */
  addFile(value, { focus = false } = {}) {
    const input = h('input', { type: 'text', inputmode: 'url', autocomplete: 'off', spellcheck: 'false', value });
    const label = h('label', {});
    const remove = h('button', { type: 'button', class: 'remove-file' }, 'Remove');
    const row = h('li', { class: 'file-row' }, label, h('div', { class: 'inline' }, input, remove));
    remove.addEventListener('click', () => this.#removeFile(row));
    this.files.append(row);
    this.#renumber();
    this.#placeholders();
    this.#changed();
    if (focus) input.focus();
    return input;
  }

  /** Replaces the file rows (stripe 1..N in this order), e.g. with a discovered backup set. */
  setFiles(paths) {
    this.files.replaceChildren();
    for (const path of paths.length > 0 ? paths : ['']) this.addFile(path);
  }

  /** Tells the listeners to look at the form again (another panel changed what is allowed). */
  changed() {
    this.#changed();
  }

  /** Starts a fresh import: a new logging GUID and target name; bucket, keys and files stay. */
  nextImport() {
    this.loggingGuid.value = crypto.randomUUID();
    this.#changed();
  }

  #removeFile(row) {
    const rows = [...this.files.children];
    const index = rows.indexOf(row);
    row.remove();
    if (this.files.children.length === 0) this.addFile('');
    this.#renumber();
    this.#changed();
    // Keep the keyboard user in the list: the row that took this place, else the previous one.
    const next = this.files.children[Math.min(index, this.files.children.length - 1)];
    next?.querySelector('input')?.focus();
  }

  /** Row labels, ids and `data-field` paths follow the position: stripe numbers are positions. */
  #renumber() {
    [...this.files.children].forEach((row, index) => {
      const input = row.querySelector('input');
      const id = `file-${index + 1}`;
      input.id = id;
      row.dataset.field = `s3.files[${index}].path`;
      const label = row.querySelector('label');
      label.htmlFor = id;
      label.textContent = `Stripe ${index + 1}`;
      row.querySelector('.remove-file').setAttribute('aria-label', `Remove stripe ${index + 1}`);
    });
  }

  #placeholders() {
    const bucket = this.bucket.value.trim() || 's3://object.storage.eu01.onstackit.cloud/my-bucket/backups/';
    const base = bucket.endsWith('/') ? bucket : `${bucket}/`;
    [...this.files.querySelectorAll('input')].forEach((input, index, all) => {
      input.placeholder = `${base}${all.length > 1 ? `sales_${index + 1}` : 'sales'}.bak`;
    });
  }

  #changed() {
    for (const listener of this.#listeners) listener();
  }
}
