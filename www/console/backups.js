// Managed backups of the instance, and "restore this": a point-in-time restore form prefilled from
// the chosen backup (source database, a new name, the backup's completion time), validated live by
// the package, started through the shared confirmation → progress flow.
import { byId, h, replaceChildren, show } from './dom.js';
import { showError } from './error-text.js';
import { FieldMessages } from './field-messages.js';
import { formatBytes } from './format.js';

const MAX_SHOWN = 200;
// Validation builds the request without sending it; a placeholder token shapes it.
const TOKEN_PLACEHOLDER = 'placeholder';

export class BackupsPanel {
  #api;
  #connection;
  #runner;
  #messages;
  #ready = false;

  constructor({ api, connection, runner }) {
    this.#api = api;
    this.#connection = connection;
    this.#runner = runner;
    this.table = byId('backups-table');
    this.body = this.table.querySelector('tbody');
    this.status = byId('backups-status');
    this.errorBox = byId('backups-error');
    this.loadButton = byId('load-backups');
    this.pitr = byId('pitr');
    this.source = byId('pitr-source');
    this.name = byId('pitr-name');
    this.time = byId('pitr-time');
    this.startButton = byId('pitr-start');
    this.problems = byId('pitr-problems');
    this.#messages = new FieldMessages([this.pitr]);
    this.loadButton.addEventListener('click', () => this.load());
    this.pitr.addEventListener('input', () => this.validate());
    byId('pitr-cancel').addEventListener('click', () => {
      show(this.pitr, false);
      this.loadButton.focus();
    });
    this.startButton.addEventListener('click', () => this.#start());
    runner.onChange(() => this.validate());
  }

  setReady(ready, reason) {
    const becameReady = ready && !this.#ready;
    this.#ready = ready;
    this.loadButton.disabled = !ready;
    if (!ready) this.status.textContent = reason;
    else if (becameReady) this.status.textContent = '';
    this.validate();
  }

  async load() {
    if (!this.#ready) return;
    this.status.textContent = 'Loading…';
    const target = this.#connection.target;
    try {
      const backups = [];
      for await (const backup of this.#connection.client().allBackups({ instanceId: this.#connection.instance(), sort: 'end_time.desc' })) {
        backups.push(backup);
        if (backups.length >= MAX_SHOWN) break;
      }
      showError(this.errorBox, null);
      replaceChildren(this.body, backups.map((backup) => h('tr', {},
        h('th', { scope: 'row' }, backup.databaseName),
        h('td', { class: 'time' }, backup.completionTime),
        h('td', {}, backup.type),
        h('td', {}, formatBytes(backup.size)),
        h('td', {}, h('button', {
          type: 'button',
          'aria-label': `Restore ${backup.databaseName} as of ${backup.completionTime}`,
          onclick: () => this.open(backup),
        }, 'Restore this…')))));
      show(this.table, backups.length > 0);
      this.status.textContent = backups.length === 0 ? 'No managed backups.' : `${backups.length} backup${backups.length === 1 ? '' : 's'}, newest first.`;
    } catch (error) {
      showError(this.errorBox, error, target);
      this.status.textContent = 'Loading failed.';
    }
  }

  /** Opens the point-in-time form for a backup. */
  open(backup) {
    this.source.value = backup.databaseName;
    const stamp = backup.completionTime.replace(/[-:]/g, '').replace('T', '_').slice(0, 13);
    this.name.value = `${backup.databaseName}_${stamp}`.slice(0, 80);
    this.time.value = backup.completionTime;
    show(this.pitr, true);
    this.#messages.touchAll();
    this.validate();
    byId('pitr-title').focus();
  }

  #input() {
    return {
      instanceId: this.#connection.instance(),
      databaseName: this.source.value.trim(),
      name: this.name.value.trim(),
      restoreDateTime: this.time.value.trim(),
    };
  }

  /** Live validation by the package: the request is built (not sent); its ValidationError lists the problems. */
  validate() {
    if (this.pitr.hidden) return false;
    let errors = [];
    try {
      this.#api.buildRequest('restorePointInTime', { ...this.#connection.settings(), token: TOKEN_PLACEHOLDER }, this.#input(), { reveal: false });
    } catch (error) {
      errors = error?.errors ?? [{ field: 'name', code: error?.code ?? 'error', message: error?.message ?? String(error) }];
    }
    const placed = this.#messages.render({ errors });
    const own = placed.filter(({ field }) => field !== null);
    const elsewhere = placed.filter(({ field }) => field === null);
    replaceChildren(this.problems,
      elsewhere.length > 0 ? h('p', {}, `Fix the connection first: ${elsewhere.map(({ issue }) => `${issue.field} ${issue.message}`).join('; ')}`) : null,
      own.length > 0 ? h('p', {}, `${own.length} problem${own.length === 1 ? '' : 's'} to fix above.`) : null);
    this.startButton.disabled = errors.length > 0 || !this.#ready || this.#runner.running;
    return errors.length === 0;
  }

  async #start() {
    this.#messages.touchAll();
    if (!this.validate()) return;
    const input = this.#input();
    await this.#runner.run({
      confirmTitle: 'Start the point-in-time restore?',
      facts: [
        ['Target', this.#connection.describeTarget()],
        ['Instance', input.instanceId],
        ['From database', input.databaseName],
        ['As of', input.restoreDateTime],
        ['New database', input.name],
      ],
      title: `Point-in-time restore into ${input.name}`,
      instanceId: input.instanceId,
      databaseName: input.name,
      trigger: (client, signal) => client.restorePointInTime(input, { signal }),
    });
  }
}
