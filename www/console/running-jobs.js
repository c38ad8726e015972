// The instance's running restores, refreshed every few seconds while the page is visible and the
// connection is usable (and at once after a trigger). An auth failure pauses the refresh until the
// connection changes, so a wrong token is not sent again and again.
import { byId, h, replaceChildren, show } from './dom.js';
import { showError } from './error-text.js';
import { formatClock } from './format.js';

export class RunningJobs {
  #connection;
  #ready = false;
  #pausedByAuth = false;
  #inFlight = false;

  constructor({ connection, intervalMs = 5000 }) {
    this.#connection = connection;
    this.table = byId('jobs-table');
    this.body = this.table.querySelector('tbody');
    this.status = byId('jobs-status');
    this.errorBox = byId('jobs-error');
    this.button = byId('refresh-jobs');
    this.button.addEventListener('click', () => this.refresh());
    connection.onChange(() => {
      this.#pausedByAuth = false;
    });
    setInterval(() => {
      if (document.visibilityState === 'visible' && !this.#pausedByAuth) this.refresh({ quiet: true });
    }, intervalMs);
  }

  /** Whether the connection and instance are valid and credentials present (main.js decides). */
  setReady(ready, reason) {
    const becameReady = ready && !this.#ready;
    this.#ready = ready;
    this.button.disabled = !ready;
    if (!ready) this.status.textContent = reason;
    if (becameReady) this.refresh({ quiet: true });
  }

  async refresh({ quiet = false } = {}) {
    if (!this.#ready || this.#inFlight) return;
    this.#inFlight = true;
    if (!quiet) this.status.textContent = 'Loading…';
    const target = this.#connection.target;
    try {
      const { runningRestores } = await this.#connection.client().listRestoreJobs({ instanceId: this.#connection.instance() });
      showError(this.errorBox, null);
      replaceChildren(this.body, runningRestores.map((job) => h('tr', {},
        h('th', { scope: 'row' }, job.databaseName),
        h('td', {}, h('span', { class: 'mini-progress' },
          h('progress', { max: '100', value: String(job.percentComplete), 'aria-label': `${job.databaseName} progress` }),
          ` ${job.percentComplete} %`)),
        h('td', { class: 'time' }, job.startTime),
        h('td', { class: 'time' }, job.estimatedCompletionTime))));
      show(this.table, runningRestores.length > 0);
      this.status.textContent = `${runningRestores.length === 0 ? 'No restore is running' : `${runningRestores.length} running`} · updated ${formatClock()}`;
    } catch (error) {
      if (error?.name === 'AuthError') this.#pausedByAuth = true;
      showError(this.errorBox, error, target);
      this.status.textContent = `Refresh failed at ${formatClock()}${this.#pausedByAuth ? '; paused until the connection changes' : ''}.`;
    } finally {
      this.#inFlight = false;
    }
  }
}
