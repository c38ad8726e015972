// W3C Trace Context ids for every response.
// Why: the STACKIT docs' 202 example carries `traceparent`, the Go SDK reads `x-trace-id`,
// and the error body schema has a `traceId` (openapi/*.json, components.schemas.Error).
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ALL_ZERO_TRACE_ID = '0'.repeat(32);

/** A fresh trace for one request; continues the caller's trace when it sent a valid `traceparent`. */
export function traceForRequest(incomingTraceparent) {
  const incoming = typeof incomingTraceparent === 'string'
    ? TRACEPARENT.exec(incomingTraceparent.trim().toLowerCase())
    : null;
  const traceId = incoming && incoming[1] !== ALL_ZERO_TRACE_ID
    ? incoming[1]
    : randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}
