// A small static file server for the console page and the built package, loopback only.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * @param {{ mounts: Record<string, string>, routes?: Record<string, (req, res) => void>, host?: string, port?: number }} options
 *   mounts: URL prefix (ending in "/") → directory, longest prefix wins; routes: exact paths answered
 *   by a handler instead (the `npm start` demo's settings).
 */
export function startStaticServer({ mounts, routes = {}, host = '127.0.0.1', port = 0 }) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (Object.hasOwn(routes, path)) {
      routes[path](req, res);
      return;
    }
    const prefix = prefixes.find((p) => path.startsWith(p));
    const file = prefix && resolveInside(mounts[prefix], path.slice(prefix.length) || 'index.html');
    const stat = file && statOrNull(file);
    if (!stat || !stat.isFile() || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({
        url: `http://${host}:${actual}`,
        stop: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/** Joins without letting `..` escape the mounted directory. */
function resolveInside(dir, relative) {
  const full = normalize(join(dir, relative));
  return full === dir || full.startsWith(dir.endsWith(sep) ? dir : dir + sep) ? full : null;
}

function statOrNull(file) {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}
