// HTTP plumbing: one pipeline for every request —
//   CORS preflight → read body → admin endpoints → route → record → transport faults →
//   settle restores → auth → handler → post-processing faults (reset-after, malformed-json) → write.
// Every response carries CORS headers, `traceparent` and `x-trace-id`.
import { createServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { corsHeaders } from './cors.mjs';
import { traceForRequest } from './trace.mjs';
import { apiError } from './errors.mjs';
import { matchRoute } from './routes.mjs';
import { ADMIN_PREFIX, handleAdminRequest } from './admin.mjs';
import { handleTokenRequest } from './token-endpoint.mjs';

const MAX_BODY_BYTES = 1024 * 1024;
const TRANSPORT_FAULTS = ['status', 'latency', 'stall', 'reset-before', 'reset-after', 'malformed-json'];

/**
 * @param {object} core  the emulator's parts (index.mjs): clock, state, tokens, serviceAccounts,
 *                       faults, recorder, audiences(), url(), log(line)
 */
export function createEmulatorServer(core) {
  const stopping = new AbortController();
  const stalled = new Set();
  const server = createServer((req, res) => {
    handle(req, res, core, { stopping: stopping.signal, stalled }).catch((error) => {
      core.log(`internal error: ${error.stack ?? error}`);
      if (!res.headersSent && !res.destroyed) writeResponse(res, apiError(500, 'emulator internal error'), res.trace);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  return {
    server,
    listen(host, port) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address().port);
        });
      });
    },
    /** Closes the server, cutting stalled and delayed responses and idle keep-alive sockets. */
    stop() {
      stopping.abort();
      for (const res of stalled) res.socket?.destroy();
      stalled.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function handle(req, res, core, transport) {
  const trace = traceForRequest(req.headers.traceparent);
  res.trace = trace; // for the last-resort 500 in createEmulatorServer
  setCommonHeaders(res, req, trace);
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = req.method ?? 'GET';

  if (method === 'OPTIONS') {
    res.writeHead(204).end();
    return;
  }
  const body = await readBody(req);
  if (body === null) return; // the client went away mid-body
  if (body.tooLarge) {
    writeResponse(res, apiError(413, `request body exceeds ${MAX_BODY_BYTES} bytes`), trace);
    return;
  }
  if (url.pathname.startsWith(ADMIN_PREFIX)) {
    writeResponse(res, await handleAdminRequest({ method, pathname: url.pathname, query: url.searchParams, rawBody: body.text }, core), trace);
    return;
  }
  await handleApiRequest({ req, res, method, url, rawBody: body.text, trace }, core, transport);
}

/** API and token requests: recorded, subject to faults. */
async function handleApiRequest({ req, res, method, url, rawBody, trace }, core, { stopping, stalled }) {
  const started = Date.now();
  const route = matchRoute(method, url.pathname);
  const recorded = core.recorder.record({
    method, path: `${url.pathname}${url.search}`, operation: route.operation, headers: req.headers, rawBody, nowMs: core.clock.now(), traceId: trace.traceId,
  });
  const finish = (status) => {
    recorded.status = status;
    core.log(`${method} ${url.pathname} → ${status ?? recorded.fault} (${Date.now() - started} ms)`);
  };

  const request = { operation: route.operation, method, path: url.pathname };
  const fault = route.kind === 'unknown' ? null : core.faults.take(request, TRANSPORT_FAULTS);
  if (fault) recorded.fault = fault.kind;
  if (fault?.latencyMs && !(await waitUnlessStopping(fault.latencyMs, stopping))) {
    res.destroy();
    return finish(null);
  }
  switch (fault?.kind) {
    case 'reset-before':
      resetConnection(res);
      return finish(null);
    case 'stall':
      stalled.add(res);
      res.on('close', () => stalled.delete(res));
      return finish(null);
    case 'status': {
      const response = faultResponse(fault);
      writeResponse(res, response, trace);
      return finish(response.status);
    }
    default:
      break;
  }

  await core.state.settle();
  const response = await dispatch(route, {
    method, url, headers: req.headers, rawBody, trace, core,
    takeRestoreFailure: () => core.faults.take(request, ['fail-restore']),
  });

  switch (fault?.kind) {
    case 'reset-after':
      resetConnection(res);
      return finish(null);
    case 'malformed-json':
      writeRaw(res, response.status, { 'content-type': 'application/json', ...response.headers }, malformedJson(response.body));
      return finish(response.status);
    default:
      writeResponse(res, response, trace);
      return finish(response.status);
  }
}

async function waitUnlessStopping(ms, stopping) {
  try {
    await delay(ms, undefined, { signal: stopping });
    return true;
  } catch {
    return false;
  }
}

async function dispatch(route, { method, url, headers, rawBody, trace, core, takeRestoreFailure }) {
  if (route.kind === 'token') {
    if (method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: { error: 'invalid_request', error_description: 'use POST', message: 'use POST' } };
    return handleTokenRequest({ headers, rawBody }, core);
  }
  if (route.kind === 'unknown') return apiError(404, `no such resource: ${method} ${url.pathname}`);

  const auth = core.tokens.check(headers.authorization);
  if (!auth.ok) return apiError(401, auth.reason, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
  if (route.kind === 'not-emulated') return apiError(501, `${method} ${url.pathname} is in the API but not emulated`);

  const { projectId, region, instanceId } = route.params;
  const instance = core.state.findInstance(projectId, region, instanceId);
  if (!instance) {
    if (!core.state.hasProject(projectId)) return apiError(404, `project ${projectId} not found`);
    return apiError(404, `instance ${instanceId} not found in project ${projectId}, region ${region}`);
  }
  return route.handler({
    params: route.params,
    query: url.searchParams,
    rawBody,
    instance,
    state: core.state,
    clock: core.clock,
    traceId: trace.traceId,
    takeRestoreFailure: () => {
      const fault = takeRestoreFailure();
      return fault ? { reason: fault.failureReason, atPercent: fault.atPercent } : null;
    },
  });
}

function faultResponse(fault) {
  const headers = fault.retryAfterSeconds !== null ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
  if (fault.body !== undefined) return { status: fault.status, headers, body: fault.body };
  const response = apiError(fault.status, `injected fault: HTTP ${fault.status}`);
  return { ...response, headers };
}

function setCommonHeaders(res, req, trace) {
  for (const [name, value] of Object.entries(corsHeaders(req.headers))) res.setHeader(name, value);
  res.setHeader('traceparent', trace.traceparent);
  res.setHeader('x-trace-id', trace.traceId);
  if (typeof req.headers['x-request-id'] === 'string') res.setHeader('x-request-id', req.headers['x-request-id']);
}

/** Writes {status, headers, body}: objects as JSON (Error bodies get this request's traceId). */
function writeResponse(res, { status, headers = {}, body }, trace) {
  if (body === undefined) return writeRaw(res, status, headers, null);
  if (typeof body === 'string') return writeRaw(res, status, { 'content-type': 'text/plain; charset=utf-8', ...headers }, body);
  const withTrace = 'traceId' in body && body.traceId === undefined ? { ...body, traceId: trace.traceId } : body;
  return writeRaw(res, status, { 'content-type': 'application/json', ...headers }, JSON.stringify(withTrace));
}

function writeRaw(res, status, headers, text) {
  if (res.destroyed) return;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (text === null) {
    if (status !== 204) res.setHeader('content-length', '0');
    res.writeHead(status).end();
    return;
  }
  res.setHeader('content-length', Buffer.byteLength(text));
  res.writeHead(status).end(text);
}

/** The "malformed-json" fault: the real response body cut in half (or a lone brace). */
function malformedJson(body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  return text.length > 2 ? text.slice(0, Math.floor(text.length / 2)) : '{';
}

function resetConnection(res) {
  const socket = res.socket;
  if (!socket) return;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/** @returns {Promise<{text: string, tooLarge?: boolean} | null>} */
function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
    req.on('error', () => resolve(null));
    req.on('aborted', () => resolve(null));
  });
}
