// The audit trail: one JSON line per request the relay decided on, naming the signed-in user, the
// operation, instance, target database and the API's answer (status, trace id). Never a credential:
// only fields picked here, never headers or bodies.

/**
 * @param {{ time: number, user: string | null, operation: string | null, method: string, instance: string | null,
 *   database: string | null, loggingGuid?: string | null, status: number, traceId: string | null,
 *   outcome: 'forwarded' | 'refused', reason?: string }} entry
 */
export function auditLine(entry) {
  return JSON.stringify({
    time: new Date(entry.time).toISOString(),
    event: 'sqlserverflex-restore-relay',
    outcome: entry.outcome,
    user: entry.user,
    operation: entry.operation,
    method: entry.method,
    instance: entry.instance,
    database: entry.database,
    ...(entry.loggingGuid ? { loggingGuid: entry.loggingGuid } : {}),
    status: entry.status,
    traceId: entry.traceId,
    ...(entry.reason ? { reason: entry.reason } : {}),
  });
}

/** The trace id of an API answer: `x-trace-id`, else the trace-id field of `traceparent`. */
export function traceIdOf(headers) {
  const direct = headers.get('x-trace-id');
  if (direct) return direct;
  return /^[0-9a-f]{2}-([0-9a-f]{32})-/.exec(headers.get('traceparent') ?? '')?.[1] ?? null;
}
