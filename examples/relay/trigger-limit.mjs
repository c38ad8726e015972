// A per-user limit on restore triggers: at most `limit` POSTs in any `windowSeconds`, else 429 with
// Retry-After. In memory: right for one Node process; on Workers each isolate keeps its own count,
// so a deployment that needs one count per user across isolates passes a limiter backed by a
// Durable Object (see README.md) to createRelay.

export const DEFAULT_TRIGGER_LIMIT = 10;
export const DEFAULT_TRIGGER_WINDOW_SECONDS = 3600;

/** `{ limit, windowSeconds }` from RELAY_TRIGGER_LIMIT / RELAY_TRIGGER_WINDOW_SECONDS (positive integers). */
export function triggerLimitFromEnv(env) {
  const integer = (name, fallback) => {
    const text = typeof env[name] === 'string' ? env[name].trim() : '';
    if (text === '') return fallback;
    if (!/^[1-9]\d{0,8}$/.test(text)) throw new Error(`relay: ${name} must be a positive whole number`);
    return Number(text);
  };
  return { limit: integer('RELAY_TRIGGER_LIMIT', DEFAULT_TRIGGER_LIMIT), windowSeconds: integer('RELAY_TRIGGER_WINDOW_SECONDS', DEFAULT_TRIGGER_WINDOW_SECONDS) };
}

/**
 * @param {{ limit: number, windowSeconds: number }} settings
 * @returns {{ take(user: string, nowMs: number): Promise<{ ok: true } | { ok: false, retryAfterSeconds: number }> }}
 */
export function createMemoryTriggerLimiter({ limit, windowSeconds }) {
  const windowMs = windowSeconds * 1000;
  const recent = new Map(); // user → times of the triggers inside the window, oldest first
  return {
    async take(user, nowMs) {
      const times = (recent.get(user) ?? []).filter((time) => nowMs - time < windowMs);
      if (times.length >= limit) {
        recent.set(user, times);
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((times[0] + windowMs - nowMs) / 1000)) };
      }
      times.push(nowMs);
      recent.set(user, times);
      return { ok: true };
    },
  };
}
