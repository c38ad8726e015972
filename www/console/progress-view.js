// The progress view of one restore: trace id and logging GUID once accepted, a progress bar with
// percent, ETA and elapsed time from the waiter's events (elapsed keeps counting between polls),
// then the final state: SUCCEEDED, FAILED, TIMEOUT or ABORTED (stopped watching).
import { byId, show } from './dom.js';
import { formatDuration, formatEta } from './format.js';

const FINAL_TEXT = {
  SUCCEEDED: (name, result) => `SUCCEEDED: database ${name} restored${result.database ? ` (owner ${result.database.owner})` : ''} after ${formatDuration(result.elapsedMs)}.`,
  FAILED: (name) => `FAILED: the restore of ${name} ended and the database does not exist. The instance's logs (by logging GUID) tell why.`,
  TIMEOUT: (name) => `TIMEOUT: ${name} is still being restored; it continues server-side (see Running restores).`,
  ABORTED: (name) => `Stopped watching. The restore of ${name} continues server-side (see Running restores).`,
};

export class ProgressView {
  #latest = null;
  #receivedAt = 0;
  #timer = null;
  #name = '';

  constructor() {
    this.root = byId('progress-view');
    this.title = byId('progress-title');
    this.trace = byId('progress-trace');
    this.guid = byId('progress-guid');
    this.guidTerm = byId('progress-guid-term');
    this.bar = byId('progress-bar');
    this.percent = byId('progress-percent');
    this.eta = byId('progress-eta');
    this.etaPart = byId('progress-eta-part');
    this.elapsed = byId('progress-elapsed');
    this.state = byId('progress-state');
    this.stopButton = byId('stop-waiting');
  }

  /** A new restore is being triggered. */
  start(title, databaseName) {
    this.#stopTicking();
    this.#latest = null;
    this.#name = databaseName;
    this.title.textContent = title;
    this.trace.textContent = '–';
    this.guid.textContent = '–';
    show(this.guidTerm, true);
    show(this.guid.parentElement, true);
    this.#setPercent(0);
    this.eta.textContent = '–';
    show(this.etaPart, true);
    this.elapsed.textContent = '0 s';
    this.#setState('Sending the request…', 'running');
    show(this.stopButton, true);
    show(this.root, true);
  }

  /** The service accepted it (HTTP 202). */
  accepted({ traceId, loggingGuid }) {
    this.trace.textContent = traceId ?? '–';
    if (loggingGuid) this.guid.textContent = loggingGuid;
    show(this.guidTerm, Boolean(loggingGuid));
    show(this.guid.parentElement, Boolean(loggingGuid));
    this.#setState('Accepted; waiting for progress…', 'running');
  }

  /** A waiter event `{ percent, estimatedCompletion, startedAt, elapsedMs }`. */
  progress(event) {
    this.#latest = event;
    this.#receivedAt = Date.now();
    this.#setPercent(event.percent);
    this.#setState(`RUNNING: ${Math.round(event.percent)} %`, 'running');
    this.#tick();
    if (!this.#timer) this.#timer = setInterval(() => this.#tick(), 1000);
  }

  /** The waiter's result. */
  finish(result) {
    this.#stopTicking();
    if (result.state === 'SUCCEEDED') this.#setPercent(100);
    if (Number.isFinite(result.elapsedMs)) this.elapsed.textContent = formatDuration(result.elapsedMs);
    // Once it ended there is nothing to estimate.
    show(this.etaPart, false);
    const text = (FINAL_TEXT[result.state] ?? FINAL_TEXT.ABORTED)(this.#name, result);
    this.#setState(text, result.state.toLowerCase());
    show(this.stopButton, false);
  }

  /** The trigger or the waiting failed (the error itself is shown by the caller). */
  failed() {
    this.#stopTicking();
    this.#setState('ERROR: see the message above.', 'failed');
    show(this.stopButton, false);
  }

  #tick() {
    if (!this.#latest) return;
    const since = Date.now() - this.#receivedAt;
    this.elapsed.textContent = formatDuration(this.#latest.elapsedMs + since);
    this.eta.textContent = formatEta(this.#latest.estimatedCompletion);
  }

  #setPercent(percent) {
    const value = Math.max(0, Math.min(100, Math.round(Number(percent) || 0)));
    this.bar.value = value;
    this.percent.textContent = `${value} %`;
  }

  #setState(text, kind) {
    this.state.textContent = text;
    this.state.dataset.state = kind;
  }

  #stopTicking() {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
