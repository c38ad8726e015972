// The relay on Node (≥ 18): `node examples/relay/node-server.mjs` with the settings in environment
// variables (see README.md), or `startRelayServer(...)` from code and tests.
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { configFromEnv, createRelay } from './relay.mjs';
import { UNAUTHENTICATED_LOOPBACK, isLoopbackHost } from './user-auth.mjs';

/**
 * @param {{ config: object, port?: number, host?: string, runtime?: Parameters<typeof createRelay>[1] }} options
 *   `runtime`: createRelay's injectables (fetch, now, log, limiter)
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startRelayServer({ config, port = 8788, host = '127.0.0.1', runtime = {} }) {
  // Without sign-in the relay must not be reachable from another machine.
  if (config.signIn.mode === UNAUTHENTICATED_LOOPBACK && !isLoopbackHost(host)) {
    throw new Error(`relay: RELAY_ALLOW_UNAUTHENTICATED=loopback binds to loopback only, not ${host}; configure a sign-in to serve other hosts`);
  }
  const relay = createRelay(config, runtime);
  const server = createServer(async (req, res) => {
    try {
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
      const request = new Request(`http://${req.headers.host ?? host}${req.url}`, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => [name, v]) : [[name, value]])),
        body: hasBody ? Readable.toWeb(req) : undefined,
        duplex: 'half',
      });
      const response = await relay(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) Readable.fromWeb(response.body).pipe(res);
      else res.end();
    } catch {
      // Nothing of the failure (it may name upstream details) goes back to the caller.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 500, message: 'relay error', type: 'RelayError' }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
        signIn: config.signIn.mode,
        stop: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let relay;
  try {
    relay = await startRelayServer({ config: configFromEnv(process.env), port: Number(process.env.PORT ?? 8788), host: process.env.HOST ?? '127.0.0.1' });
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(`relay listening on ${relay.url} (sign-in: ${relay.signIn})`);
  const stop = async () => {
    await relay.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
