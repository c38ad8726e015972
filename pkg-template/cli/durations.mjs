// Human durations for progress and results: "45 s", "3 min 05 s", "2 h 07 min".

export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** "in 3 min 05 s" from an expected end, or "–" without one; "any moment" once it has passed. */
export function formatEta(estimatedCompletion, nowMs) {
  if (!estimatedCompletion) return '–';
  const remaining = new Date(estimatedCompletion).getTime() - nowMs;
  if (!Number.isFinite(remaining)) return '–';
  if (remaining <= 0) return 'any moment';
  return remaining < 1000 ? 'in <1 s' : `in ${formatDuration(remaining)}`;
}
