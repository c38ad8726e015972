// Dependency audit for `npm test`: RustSec advisories against Cargo.lock (cargo-audit), and npm's
// advisories against the package's runtime dependencies (`npm audit --omit=dev`; there must be none).
// cargo-audit reads the RustSec advisory database, a git repository on GitHub it fetches on each run;
// where GitHub cannot be reached it uses a copy fetched earlier, and with neither it says so and
// skips (before installing cargo-audit, a 10-minute build), since there is nothing to check against.
// Run alone: `node tools/dependency-audit.mjs` (after a build).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCargoAudit, isMain, root, run } from './toolchain.mjs';

const ADVISORY_DB = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'advisory-db');
const ADVISORY_DB_URL = 'https://github.com/rustsec/advisory-db.git';

function advisoryDbReachable() {
  const probe = spawnSync('git', ['ls-remote', '--heads', ADVISORY_DB_URL], { encoding: 'utf8', timeout: 20_000 });
  return probe.status === 0;
}

export function auditCrates() {
  if (!existsSync(join(ADVISORY_DB, '.git')) && !advisoryDbReachable()) {
    console.log(`cargo audit SKIPPED — the RustSec advisory database (${ADVISORY_DB_URL}) cannot be fetched from here `
      + 'and no copy was fetched earlier: with no advisories there is nothing to check against. '
      + 'Run `cargo audit` where GitHub is reachable.');
    return;
  }
  ensureCargoAudit();
  const attempt = (extra) => spawnSync('cargo', ['audit', ...extra], { cwd: root, encoding: 'utf8' });
  let result = attempt([]);
  const fetchError = result.stderr.split('\n').find((line) => line.startsWith("error: couldn't fetch advisory database"));
  if (result.status !== 0 && fetchError) {
    if (!existsSync(join(ADVISORY_DB, '.git'))) {
      console.log(`cargo audit SKIPPED — ${fetchError.slice('error: '.length)}, and no copy was fetched earlier: `
        + 'with no advisories there is nothing to check against. Run `cargo audit` where GitHub is reachable.');
      return;
    }
    console.log('cargo audit: the advisory database could not be fetched; checking against the copy fetched earlier');
    result = attempt(['--no-fetch', '--stale']);
  }
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.status !== 0) throw new Error('cargo audit found advisories for Cargo.lock (above)');
}

/** The built package's runtime dependencies, audited in a scratch folder with a lockfile made for them. */
export function auditPackage(pkg) {
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  const runtime = ['dependencies', 'optionalDependencies', 'peerDependencies'].flatMap((field) => Object.keys(manifest[field] ?? {}));
  if (runtime.length) throw new Error(`the package must have no runtime dependencies, has: ${runtime.join(', ')}`);
  const scratch = mkdtempSync(join(tmpdir(), 'ssfr-audit-'));
  try {
    copyFileSync(join(pkg, 'package.json'), join(scratch, 'package.json'));
    run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: scratch });
    run('npm', ['audit', '--omit=dev'], { cwd: scratch });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  auditCrates();
  auditPackage(join(root, 'pkg'));
}
