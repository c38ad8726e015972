// Installs the package as a user would, for the runtime tests (tests/js/runtimes-*.test.mjs): `npm pack`
// of the built pkg/ into a temporary directory, the fixtures of tests/runtimes/ copied beside it, and
// `npm install <tarball>` (offline: the package has no dependencies). Runtimes (Deno, Bun, workerd via
// Miniflare) come from the root devDependencies; a missing one is an error, never a skip.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('.', import.meta.url));

/** A runtime binary from the root devDependencies (`npm ci` installs it); throws when it is missing. */
export function runtimeBinary(name) {
  const path = join(root, 'node_modules', '.bin', name);
  if (!existsSync(path)) {
    throw new Error(`${name} is missing from node_modules/.bin: it is a root devDependency, run \`npm ci\``);
  }
  return path;
}

/**
 * Packs pkg/ and installs the tarball into a fresh directory holding the fixtures.
 * @returns {{ dir: string, tarball: string, packageDir: string, cleanup(): void }}
 */
export function installPackedPackage() {
  const pkg = join(root, 'pkg');
  if (!existsSync(join(pkg, 'package.json'))) throw new Error('pkg/ is not built: run `npm run build` (npm test does)');
  // Real path: resolvers and bundlers report resolved paths, so a symlinked temp dir (macOS /var →
  // /private/var) must not make them differ from ours.
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ssfr-runtimes-')));
  const quiet = { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] };
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: pkg, ...quiet }));
  // Judged by the path inside tests/runtimes/, never by the checkout's own path. node18/ (the Node 18
  // binary, 143 MB) is run from where it is by its own test.
  const notCopied = new Set(['harness.mjs', 'expect.mjs', 'node18']);
  cpSync(fixtures, dir, { recursive: true, filter: (source) => !notCopied.has(relative(fixtures, source)) });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({
    name: 'sqlserverflex-restore-runtime-fixtures',
    private: true,
    type: 'module',
    dependencies: { 'sqlserverflex-restore': `file:./${packed.filename}` },
  }, null, 2)}\n`);
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, ...quiet });
  return {
    dir,
    tarball: join(dir, packed.filename),
    packageDir: join(dir, 'node_modules', 'sqlserverflex-restore'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The emulator from the installed tarball (its `./emulator` export, as a Node user imports it). */
export async function startPackedEmulator(install) {
  const entry = createRequire(join(install.dir, 'package.json')).resolve('sqlserverflex-restore/emulator');
  const { startEmulator } = await import(pathToFileURL(entry).href);
  return startEmulator({ port: 0 });
}

/**
 * The names every entry must export, sorted: the named exports of the shared API module (api.js, which
 * each entry re-exports; its default export is package-internal), taken from the installed package.
 * The slim entry adds `init`. So an entry that exports more or less than the API fails its test.
 */
export async function referenceExports(install) {
  const dir = join(createRequire(join(install.dir, 'package.json')).resolve('sqlserverflex-restore/package.json'), '..');
  const api = await import(pathToFileURL(join(dir, 'api.js')).href);
  return Object.keys(api).filter((name) => name !== 'default').sort();
}

/**
 * Runs a command without blocking this process (the emulator answers from it) and resolves with its
 * stdout; rejects with the exit status and stderr when it fails or outlives `timeoutMs`.
 */
export function runCommand(cmd, args, { cwd, env = {}, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} could not start: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${stderr}\n${stdout}`));
    });
  });
}

/** Like runCommand, for fixtures that print one JSON line last. */
export async function runJson(cmd, args, options) {
  const lines = (await runCommand(cmd, args, options)).trim().split('\n');
  return JSON.parse(lines.at(-1));
}
