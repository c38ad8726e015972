// A real S3 server for tests: s3s-fs (verifies SigV4, signed and presigned) on a free loopback port,
// serving a temporary directory (`<root>/<bucket>/<key>`), plus a CORS-adding proxy in front of it
// for browser tests, as a bucket with a CORS rule would behave.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const ACCESS_KEY = 'TESTACCESSKEY';
export const SECRET_KEY = 'test-S3-secret-never-shown/+x';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilListening(url, child) {
  for (let i = 0; i < 200; i += 1) {
    if (child.exitCode !== null) throw new Error(`s3s-fs exited with ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error('s3s-fs did not start');
}

/** Starts s3s-fs; `put(bucket, key, bytes)` places objects, `endpoint` is its http URL. */
export async function startS3Server() {
  const root = mkdtempSync(join(tmpdir(), 'ssfr-s3-'));
  const port = await freePort();
  const child = spawn('s3s-fs', ['--host', '127.0.0.1', '--port', String(port), '--access-key', ACCESS_KEY, '--secret-key', SECRET_KEY, root], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilListening(endpoint, child);
  return {
    endpoint,
    root,
    put(bucket, key, bytes) {
      const path = join(root, bucket, key);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes);
    },
    bucket(name) {
      mkdirSync(join(root, name), { recursive: true });
    },
    async stop() {
      child.kill();
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Forwards to `target` keeping the Host header (so SigV4 still verifies) and adds CORS. `delayMs(req)`
 * holds a response back that long after S3 answered (a slow link, for tests that act mid-transfer);
 * it is asked once S3 has answered, so what S3 stored is known when a test acts.
 */
export async function startCorsProxy(target, { delayMs = () => 0 } = {}) {
  const { hostname, port } = new URL(target);
  const cors = (origin) => ({
    'access-control-allow-origin': origin ?? '*',
    'access-control-allow-methods': 'GET, HEAD, PUT, POST, DELETE',
    'access-control-allow-headers': 'authorization, content-type, range, x-amz-date, x-amz-content-sha256, x-amz-security-token, content-md5',
    'access-control-expose-headers': 'etag, content-length, content-range, last-modified, x-amz-request-id',
    'access-control-max-age': '600',
  });
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors(req.headers.origin)).end();
      return;
    }
    const upstream = httpRequest({ hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const forward = () => {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...cors(req.headers.origin) });
        answer.pipe(res);
      };
      const delay = delayMs(req);
      if (delay > 0) setTimeout(forward, delay);
      else forward();
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, cors(req.headers.origin));
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
