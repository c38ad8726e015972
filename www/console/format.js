// How numbers and times read in the console: "3 min 05 s", "8.0 MiB", local clock times.

export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** "in 1 min 05 s (at 14:03:10)", "any moment", or "–" without an estimate. */
export function formatEta(estimatedCompletion, nowMs = Date.now()) {
  if (!estimatedCompletion) return '–';
  const at = new Date(estimatedCompletion);
  const remaining = at.getTime() - nowMs;
  if (!Number.isFinite(remaining)) return '–';
  if (remaining <= 0) return 'any moment';
  const clock = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return `${remaining < 1000 ? 'in <1 s' : `in ${formatDuration(remaining)}`} (at ${clock})`;
}

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

export function formatClock(date = new Date()) {
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
