// The emulator's notion of "now". Restore progress and token expiry are computed from it lazily,
// so an injected or manual clock drives a 10-minute restore in microseconds of real time.

/**
 * @param {{now?: () => number, manualClock?: boolean, manualClockStartMs?: number}} options
 * @returns {{now: () => number, isManual: boolean, advance: (ms: number) => number}}
 */
export function createClock({ now, manualClock = false, manualClockStartMs } = {}) {
  if (manualClock) {
    let current = Number.isFinite(manualClockStartMs) ? manualClockStartMs : Date.now();
    return {
      isManual: true,
      now: () => current,
      advance(ms) {
        if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance(ms) needs a finite ms >= 0');
        current += ms;
        return current;
      },
    };
  }
  const read = typeof now === 'function' ? now : () => Date.now();
  return {
    isManual: false,
    now: () => Number(read()),
    advance() {
      throw new Error('the clock is not manual: start the emulator with { manualClock: true } to advance it');
    },
  };
}

/** `2023-09-25T12:17:30` — the zone-less UTC format of restore-jobs (spec example backup.runningRestore). */
export function formatRestoreJobTime(ms) {
  return new Date(ms).toISOString().slice(0, 19);
}

/** RFC 3339 UTC without milliseconds, like the spec examples (`2023-12-14T23:25:03Z`). */
export function formatRfc3339(ms) {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
