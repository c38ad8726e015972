// CORS and trace headers on every response, for browser clients.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestEmulator, instancePath } from './support/helpers.mjs';

let emulator;
before(async () => {
  emulator = await startTestEmulator();
});
after(() => emulator.stop());

test('OPTIONS preflight → 204 with the allowed headers, without auth, for any path', async () => {
  for (const path of [`${instancePath()}/restores`, `${instancePath({ version: 'v3alpha1' })}/restore-jobs`, '/token', '/nowhere']) {
    const response = await fetch(`${emulator.url}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
        'access-control-request-private-network': 'true',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(await response.text(), '');
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(response.headers.get('vary'), 'Origin');
    const allowed = response.headers.get('access-control-allow-headers').split(/,\s*/);
    for (const header of ['authorization', 'content-type', 'accept', 'x-request-id', 'user-agent']) assert.ok(allowed.includes(header), header);
    assert.match(response.headers.get('access-control-allow-methods'), /POST/);
    assert.equal(response.headers.get('access-control-allow-private-network'), 'true');
    assert.match(response.headers.get('traceparent'), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  }
  assert.equal(emulator.requests().length, 0, 'preflights are not recorded');
});

test('every response exposes traceparent, x-trace-id and retry-after; Origin is echoed or *', async () => {
  const responses = [
    await call(emulator, 'GET', 'restore-jobs'),
    await call(emulator, 'GET', 'restore-jobs', { token: null }),
    await call(emulator, 'GET', '/_emulator/health', { token: null }),
    await call(emulator, 'GET', '/nowhere'),
  ];
  for (const response of responses) {
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(response.headers.get('access-control-expose-headers').split(/,\s*/).sort(), ['retry-after', 'traceparent', 'x-trace-id']);
    assert.ok(response.headers.get('traceparent').includes(response.headers.get('x-trace-id')));
  }
  const withOrigin = await call(emulator, 'GET', 'restore-jobs', { headers: { origin: 'http://localhost:5173' } });
  assert.equal(withOrigin.headers.get('access-control-allow-origin'), 'http://localhost:5173');
});

test('a caller traceparent is continued (same trace id, new span id); x-request-id is echoed', async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const incoming = `00-${traceId}-00f067aa0ba902b7-01`;
  const response = await call(emulator, 'GET', 'restore-jobs', { headers: { traceparent: incoming, 'x-request-id': 'req-42' } });
  assert.equal(response.headers.get('x-trace-id'), traceId);
  assert.match(response.headers.get('traceparent'), new RegExp(`^00-${traceId}-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$`));
  assert.equal(response.headers.get('x-request-id'), 'req-42');
  const invalid = await call(emulator, 'GET', 'restore-jobs', { headers: { traceparent: 'garbage' } });
  assert.notEqual(invalid.headers.get('x-trace-id'), traceId);
  assert.match(invalid.headers.get('x-trace-id'), /^[0-9a-f]{32}$/);
});
