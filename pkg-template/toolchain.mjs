// Installs what building and testing need, skipping whatever is already at the right version:
// the wasm32 target, wasm-bindgen-cli at the Cargo.lock version, npm packages from the lockfile,
// and (for tests) Debian's Chromium + ChromeDriver. Facts: shared/docs/toolchain.md.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

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
    run('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
  }
}

export function ensureWasmBindgen() {
  const want = lockedWasmBindgenVersion();
  const have = output('wasm-bindgen', ['--version']).trim().split(' ')[1];
  if (have !== want) {
    // No --locked: the CLI's own lockfile pins a crate the registry lacks (toolchain.md).
    run('cargo', ['install', 'wasm-bindgen-cli', '--version', want, '--no-default-features']);
  }
}

export function ensureNodeModules() {
  const stamp = new URL('../node_modules/.package-lock.json', import.meta.url);
  const lock = new URL('../package-lock.json', import.meta.url);
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(lock).mtimeMs) {
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
}

/** The Node 18 binary for the oldest-Node test, in its own folder so its `node` bin never shadows ours. */
export function ensureNode18() {
  const dir = new URL('../tests/runtimes/node18/', import.meta.url);
  const stamp = new URL('node_modules/.package-lock.json', dir);
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(new URL('package-lock.json', dir)).mtimeMs) {
    run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: fileURLToPath(dir) });
  }
}

export const chromiumPath = '/usr/bin/chromium';
export const chromedriverPath = '/usr/bin/chromedriver';

export function ensureChromium() {
  if (existsSync(chromiumPath) && existsSync(chromedriverPath)) return;
  if (process.getuid?.() !== 0) {
    throw new Error('Chromium is missing: run `sudo apt-get install -y chromium chromium-driver` once');
  }
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'chromium-driver'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** A real S3 server that verifies SigV4, for the preflight and upload tests (toolchain.md). */
export const S3S_FS_VERSION = '0.14.1';

export function ensureS3sFs() {
  if (output('s3s-fs', ['--version']).trim() !== `s3s-fs ${S3S_FS_VERSION}`) {
    run('cargo', ['install', 's3s-fs', '--version', S3S_FS_VERSION, '--features', 'binary', '--locked']);
  }
}

/** libFuzzer through cargo-fuzz (stable toolchain with RUSTC_BOOTSTRAP for the sanitizer flags). */
export const CARGO_FUZZ_VERSION = '0.13.2';

export function ensureCargoFuzz() {
  if (output('cargo', ['fuzz', '--version']).trim() !== `cargo-fuzz ${CARGO_FUZZ_VERSION}`) {
    run('cargo', ['install', 'cargo-fuzz', '--version', CARGO_FUZZ_VERSION, '--locked']);
  }
}

/** RustSec advisory check of Cargo.lock (tests/dependency-audit.mjs). */
export const CARGO_AUDIT_VERSION = '0.22.2';

export function ensureCargoAudit() {
  // It prints `cargo-audit-audit 0.22.2`: compare the version only.
  if (output('cargo', ['audit', '--version']).trim().split(' ').pop() !== CARGO_AUDIT_VERSION) {
    run('cargo', ['install', 'cargo-audit', '--version', CARGO_AUDIT_VERSION, '--locked']);
  }
}

export function ensureBuildTools() {
  ensureWasmTarget();
  ensureNodeModules();
  ensureWasmBindgen();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureBuildTools();
  if (process.argv.includes('--test')) {
    ensureChromium();
    ensureS3sFs();
  }
}
