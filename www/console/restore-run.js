// One restore from the console, start to end: confirmation dialog → trigger (HTTP 202, trace id) →
// waiting with progress → final state. Import and point-in-time restore share it. "Stop watching"
// aborts the waiting only: the API has no cancel, the restore continues server-side.
import { byId } from './dom.js';
import { confirmRestore } from './confirm-dialog.js';
import { showError } from './error-text.js';

export class RestoreRunner {
  #connection;
  #view;
  #errorBox;
  #controller = null;
  #listeners = new Set();

  /** @param {{ connection: import('./connection.js').ConnectionPanel, view: import('./progress-view.js').ProgressView }} options */
  constructor({ connection, view }) {
    this.#connection = connection;
    this.#view = view;
    this.#errorBox = byId('run-error');
    view.stopButton.addEventListener('click', () => this.#controller?.abort());
  }

  get running() {
    return this.#controller !== null;
  }

  /** Called when a run starts, is accepted, or ends. */
  onChange(listener) {
    this.#listeners.add(listener);
  }

  /**
   * @param {{ confirmTitle: string, facts: [string, string][], title: string, instanceId: string,
   *   databaseName: string, trigger: (client: object, signal: AbortSignal) => Promise<object> }} run
   * @returns {Promise<object | null>} the accepted trigger, or null when cancelled or refused
   */
  async run({ confirmTitle, facts, title, instanceId, databaseName, trigger }) {
    if (this.running) return null;
    if (!(await confirmRestore(confirmTitle, facts))) return null;
    const target = this.#connection.target;
    const controller = new AbortController();
    this.#controller = controller;
    showError(this.#errorBox, null);
    this.#view.start(title, databaseName);
    this.#view.title.tabIndex = -1;
    this.#view.title.focus();
    this.#notify();
    let accepted = null;
    try {
      const client = this.#connection.client();
      accepted = await trigger(client, controller.signal);
      this.#view.accepted(accepted);
      this.#notify('accepted');
      const result = await client.waitForRestore({ instanceId, databaseName }, {
        signal: controller.signal,
        onProgress: (event) => this.#view.progress(event),
        // The emulator costs nothing to poll: keep the demo lively. Elsewhere the waiter's
        // ETA-driven schedule (2–60 s) applies.
        ...(target === 'emulator' ? { minDelayMs: 500, maxDelayMs: 2000 } : {}),
      });
      this.#view.finish(result);
    } catch (error) {
      if (error?.name === 'AbortError') {
        this.#view.finish({ state: 'ABORTED', elapsedMs: NaN });
      } else {
        showError(this.#errorBox, error, target);
        this.#view.failed();
      }
    } finally {
      this.#controller = null;
      this.#notify('ended');
    }
    return accepted;
  }

  #notify(phase) {
    for (const listener of this.#listeners) listener(phase);
  }
}
