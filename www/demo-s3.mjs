// The S3 side of the `npm start` demo: the S3 server the tests use (s3s-fs, which verifies SigV4
// signatures, signed and presigned) on loopback, behind a CORS-adding proxy so that the console in
// the browser can list, read and upload (as a bucket with a permissive CORS rule behaves), holding
// sample backups written by the Rust fixture writer (tests/write_fixtures.rs) and the real
// compressed SQL Server 2016 backup in tests/fixtures.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { S3S_FS_VERSION, ensureS3sFs, root } from '../tools/toolchain.mjs';

/** Local demo credentials: s3s-fs accepts only these; fine to print, useless anywhere else. */
export const DEMO_S3 = Object.freeze({
  bucket: 'demo',
  prefix: 'backups/',
  accessKey: 'DEMOACCESSKEY',
  secretKey: 'demo-S3-secret-local-only',
});

/** Where the samples are kept on disk, to pick in the console's Upload panel. */
export const SAMPLES_DIR = join(root, 'target', 'demo-backups');

/**
 * The sample backups: `from` a file the fixture writer writes (or `fixture`, a file in
 * tests/fixtures), `key` below the bucket prefix (and below SAMPLES_DIR).
 */
export const SAMPLES = Object.freeze([
  { from: 'single/full.bak', key: 'full/full.bak', about: 'a plain full backup of SalesDb' },
  ...[1, 2, 3].map((n) => ({
    from: `striped/sales-${n}of3.bak`,
    key: `striped/sales-${n}of3.bak`,
    about: `stripe ${n} of 3 of a newer full backup of SalesDb`,
  })),
  { from: 'single/compressed.bak', key: 'compressed/compressed.bak', about: 'a compressed full backup of SalesDb (MSSQLBAK)' },
  {
    fixture: 'TutorialDB-compressed.bak',
    key: 'compressed/TutorialDB-compressed.bak',
    about: 'a real compressed SQL Server 2016 backup (MIT, tests/fixtures/NOTICE)',
  },
  { from: 'single/log.bak', key: 'refused/log.bak', about: 'a transaction log backup: the preflight refuses it (LOG_BACKUP)' },
  {
    from: 'single/encrypted.bak',
    key: 'refused/encrypted.bak',
    about: 'stands in for WITH ENCRYPTION: refused (ENCRYPTED_OR_UNREADABLE)',
  },
]);

function installedS3sFs() {
  try {
    return execFileSync('s3s-fs', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/**
 * Makes sure s3s-fs is there; returns null when it is, else why the demo runs without S3.
 *
 * Installing it when it is missing is the right default: `cargo install` is what `npm test` does
 * (tools/toolchain.mjs `ensureS3sFs`), it compiles for about two minutes once, which is less
 * than the wasm-bindgen-cli compile the first `npm start` waits for anyway, and without S3 the
 * console's Upload, Discover and Preflight — what a newcomer tries first — cannot work. So it is
 * installed, saying so first (cargo's own progress shows); `--no-s3` skips S3 for whoever does not
 * want to wait, and a failed install (offline, no cargo) only costs the S3 part of the demo.
 */
export function prepareS3sFs({ install, log }) {
  const want = `s3s-fs ${S3S_FS_VERSION}`;
  const have = installedS3sFs();
  if (have === want) return null;
  if (!install) return `${have === '' ? 's3s-fs is not installed' : `${have} is installed, the demo wants ${want}`}`;
  log(`S3: ${have === '' ? `${want} (the local S3 server the tests use) is not installed` : `${have} found, ${want} wanted`}: `
    + 'installing it as npm test does, once (npm start -- --no-s3 skips S3) …');
  try {
    ensureS3sFs();
  } catch (error) {
    return `installing s3s-fs failed (${error.message})`;
  }
  const after = installedS3sFs();
  if (after === want) return null;
  return after === '' ? 's3s-fs was installed but is not on the PATH (cargo puts it in ~/.cargo/bin)' : `s3s-fs reports "${after}" after the install`;
}

/**
 * Writes the fixture backups (cargo test --test write_fixtures) and copies the samples to SAMPLES_DIR.
 * @returns {{ key: string, file: string, about: string }[]}
 */
export function writeDemoBackups() {
  const written = mkdtempSync(join(tmpdir(), 'ssfr-demo-fixtures-'));
  try {
    const run = spawnSync('cargo', ['test', '--quiet', '--test', 'write_fixtures'], {
      cwd: root, env: { ...process.env, SSFR_FIXTURE_DIR: written }, encoding: 'utf8',
    });
    if (run.error) throw new Error(`cargo could not start: ${run.error.message}`);
    if (run.status !== 0) throw new Error(`cargo test --test write_fixtures failed: ${run.stderr.trim().split('\n').slice(-5).join(' | ')}`);
    rmSync(SAMPLES_DIR, { recursive: true, force: true });
    return SAMPLES.map(({ from, fixture, key, about }) => {
      const file = join(SAMPLES_DIR, key);
      mkdirSync(dirname(file), { recursive: true });
      copyFileSync(fixture ? join(root, 'tests', 'fixtures', fixture) : join(written, from), file);
      return { key, file, about };
    });
  } finally {
    rmSync(written, { recursive: true, force: true });
  }
}

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

/**
 * Starts s3s-fs on a fresh data folder with the demo bucket holding `samples`, and the CORS proxy
 * in front of it (on `port` if free, else any). `endpoint` is the proxy: the one address for Node,
 * the console and the emulator's file check alike (it keeps the Host header, so signatures verify).
 */
export async function startDemoS3({ samples, port = 0 }) {
  const data = mkdtempSync(join(tmpdir(), 'ssfr-demo-s3-'));
  const bucketDir = join(data, DEMO_S3.bucket);
  for (const { key, file } of samples) {
    const target = join(bucketDir, DEMO_S3.prefix, key);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  const serverPort = await freePort();
  const child = spawn('s3s-fs', ['--host', '127.0.0.1', '--port', String(serverPort),
    '--access-key', DEMO_S3.accessKey, '--secret-key', DEMO_S3.secretKey, data], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  // Never leave the server behind when this process ends some other way than stop().
  const killOnExit = () => child.kill();
  process.once('exit', killOnExit);
  const stopChild = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
  };
  let proxy;
  try {
    await waitUntilListening(`http://127.0.0.1:${serverPort}`, child, () => stderr);
    proxy = await startCorsProxy(serverPort, port);
  } catch (error) {
    await stopChild();
    rmSync(data, { recursive: true, force: true });
    throw error;
  }
  const endpoint = proxy.url;
  return {
    endpoint,
    /** The bucket address the package and the console use as it is (http:// is fine on loopback). */
    bucketUrl: `${endpoint}/${DEMO_S3.bucket}/${DEMO_S3.prefix}`,
    /** The same in STACKIT's s3:// form; it needs `s3.endpoint` (s3:// means https otherwise). */
    s3Url: `s3://${new URL(endpoint).host}/${DEMO_S3.bucket}/${DEMO_S3.prefix}`,
    /** The folder holding the bucket's objects (`<bucketDir>/<key>`). */
    bucketDir,
    async stop() {
      await proxy.stop();
      await stopChild();
      rmSync(data, { recursive: true, force: true });
    },
  };
}

async function waitUntilListening(url, child, stderr) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`s3s-fs exited with ${child.exitCode}: ${stderr().trim()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  throw new Error('s3s-fs did not answer within 10 s');
}

/**
 * Forwards to s3s-fs keeping the Host header (SigV4 covers it) and answers CORS as a bucket rule
 * allowing every origin, method and header would: preflights echo the requested headers (so the
 * checksum headers of uploads pass too), and every response header is exposed (ETag for multipart).
 */
function startCorsProxy(targetPort, port) {
  const cors = (req) => ({
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-methods': 'GET, HEAD, PUT, POST, DELETE',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
    'access-control-expose-headers': '*, etag, content-length, content-range, last-modified, x-amz-request-id',
    'access-control-max-age': '600',
    vary: 'origin, access-control-request-headers',
  });
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors(req)).end();
      return;
    }
    const upstream = httpRequest({ hostname: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...cors(req) });
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, cors(req));
      res.end();
    });
    req.pipe(upstream);
  });
  const listen = (at) => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  return listen(port)
    .catch((error) => {
      if (error?.code !== 'EADDRINUSE' || port === 0) throw error;
      return listen(0);
    })
    .then(() => ({
      url: `http://127.0.0.1:${server.address().port}`,
      stop: () => new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
    }));
}
