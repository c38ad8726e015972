// How numbers and times read in the console: "3 min 05 s", "8.0 MiB", local clock times — the
// package's formatting (pkg/format.js, shared with the CLI), served beside the console at /pkg/.
import { formatEta as eta } from '/pkg/format.js';

export { formatBytes, formatClock, formatDuration } from '/pkg/format.js';

/** "in 1 min 05 s (at 14:03:10)", "any moment", or "–" without an estimate. */
export function formatEta(estimatedCompletion, nowMs = Date.now()) {
  return eta(estimatedCompletion, nowMs, { clock: true });
}
