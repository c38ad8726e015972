// CORS for browser clients (the package also runs in browsers and edge runtimes).
// Every response carries these headers; every OPTIONS preflight is answered with 204.

const ALLOWED_HEADERS = 'authorization, content-type, accept, x-request-id, user-agent, traceparent';
const EXPOSED_HEADERS = 'traceparent, x-trace-id, retry-after';
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

/** Headers to send on every response to a request with the given headers. */
export function corsHeaders(requestHeaders) {
  const origin = requestHeaders.origin;
  const headers = {
    'access-control-allow-origin': origin || '*',
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-expose-headers': EXPOSED_HEADERS,
    'access-control-max-age': '600',
  };
  if (origin) headers.vary = 'Origin';
  // Chrome's Private Network Access: a public page calling the loopback emulator asks first.
  if (requestHeaders['access-control-request-private-network'] === 'true') {
    headers['access-control-allow-private-network'] = 'true';
  }
  return headers;
}
