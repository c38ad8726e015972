// How sizes, durations and times read, for people: "8.0 MiB", "3 min 05 s", "in 3 min 05 s". One
// home for the CLI (cli/) and the browser console (www/console/format.js loads this file from the
// package it is served with). Not part of the API: no entry imports it.

/** Bytes as "8.0 MiB"; "–" for a missing size. */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Human durations for progress and results: "45 s", "3 min 05 s", "2 h 07 min"; "–" for none. */
export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A local clock time, e.g. "14:03:10" (the runtime's locale). */
export function formatClock(date = new Date()) {
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * "in 3 min 05 s" from an expected end, "any moment" once it has passed, "–" without one (or without
 * `nowMs`); with `clock: true` the local time follows: "in 1 min 05 s (at 14:03:10)".
 */
export function formatEta(estimatedCompletion, nowMs, { clock = false } = {}) {
  if (!estimatedCompletion) return '–';
  const at = new Date(estimatedCompletion);
  const remaining = at.getTime() - nowMs;
  if (!Number.isFinite(remaining)) return '–';
  if (remaining <= 0) return 'any moment';
  const text = remaining < 1000 ? 'in <1 s' : `in ${formatDuration(remaining)}`;
  return clock ? `${text} (at ${formatClock(at)})` : text;
}
