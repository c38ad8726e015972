// Progress of a restore while waiting: on a terminal a live bar redrawn in place (percent, ETA,
// elapsed; the clock ticks between polls), elsewhere one plain line per poll that changed something.
import { formatDuration, formatEta } from '../format.js';

const BAR_WIDTH = 30;

/** `[██████████░░░░░░░░░░░░░░░░░░░░]  35 %  ETA in 1 min 05 s  elapsed 35 s` */
export function renderBar(event, nowMs, width = BAR_WIDTH) {
  const percent = clampPercent(event.percent);
  const filled = Math.round((percent / 100) * width);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(percent).padStart(3)} %`;
  return `${bar}  ${timing(event, nowMs, '  ')}`;
}

/** `progress 35 %, ETA in 1 min 05 s, elapsed 35 s` */
export function renderLine(event, nowMs) {
  return `progress ${clampPercent(event.percent)} %, ${timing(event, nowMs, ', ')}`;
}

/** `ETA in 1 min 05 s  elapsed 35 s`, or `done after 2 min 10 s` for the final event; an event's
 * `detail` (an upload's bytes and rate) comes first. */
function timing(event, nowMs, separator) {
  const detail = event.detail ? `${event.detail}${separator}` : '';
  if (event.done) return `${detail}done after ${formatDuration(event.elapsedMs)}`;
  return `${detail}ETA ${formatEta(event.estimatedCompletion, nowMs)}${separator}elapsed ${formatDuration(event.elapsedMs)}`;
}

function clampPercent(percent) {
  return Math.max(0, Math.min(100, Math.round(Number(percent) || 0)));
}

/**
 * @param {{ mode: 'bar' | 'lines' | 'none', stream: NodeJS.WritableStream, now?: () => number }} options
 * @returns {{ update(event): void, finish(final?): void }}  `finish` shows the final event (e.g. 100 % on
 *   success) or, without one, clears the bar; either way the terminal is left on a clean line
 */
export function createProgressReporter({ mode, stream, now = Date.now }) {
  if (mode === 'none') return { update() {}, finish() {} };
  if (mode === 'lines') {
    let last = '';
    const update = (event) => {
      const eta = event.estimatedCompletion ? new Date(event.estimatedCompletion).getTime() : '';
      const key = `${clampPercent(event.percent)}|${eta}|${event.done ? 'done' : ''}`;
      if (key === last) return;
      last = key;
      stream.write(`${renderLine(event, now())}\n`);
    };
    return { update, finish: (final) => final && update(final) };
  }
  let latest = null;
  let receivedAt = 0;
  let timer = null;
  const draw = () => {
    if (!latest) return;
    // Elapsed keeps counting between polls; the percent only moves when the service says so.
    const shown = { ...latest, elapsedMs: latest.elapsedMs + (now() - receivedAt) };
    stream.write(`\r\x1b[2K${renderBar(shown, now(), barWidth(stream))}`);
  };
  return {
    update(event) {
      latest = event;
      receivedAt = now();
      draw();
      if (!timer) {
        timer = setInterval(draw, 1000);
        timer.unref?.();
      }
    },
    finish(final) {
      if (timer) clearInterval(timer);
      timer = null;
      if (final) stream.write(`\r\x1b[2K${renderBar(final, now(), barWidth(stream))}\n`);
      else if (latest) stream.write('\r\x1b[2K');
      latest = null;
    },
  };
}

/** Narrow terminals get a shorter bar, so the line never wraps (wrapping breaks the redraw). */
function barWidth(stream) {
  const columns = stream.columns ?? 80;
  return Math.max(10, Math.min(BAR_WIDTH, columns - 50));
}

/** `--progress auto` picks the bar on a terminal and plain lines otherwise. */
export function progressMode(requested, stream) {
  if (requested === undefined || requested === 'auto') return stream.isTTY ? 'bar' : 'lines';
  return requested;
}
