// Synthetic .bak files written by the Rust fixture writer (tests/write_fixtures.rs) into a temp dir.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** `{ dir, files: Map<relativePath, Buffer> }` */
export function writeBackupFixtures() {
  const dir = mkdtempSync(join(tmpdir(), 'ssfr-bak-'));
  const run = spawnSync('cargo', ['test', '--quiet', '--test', 'write_fixtures'], {
    cwd: root, env: { ...process.env, SSFR_FIXTURE_DIR: dir }, encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`writing fixtures failed: ${run.stderr}`);
  const files = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return { dir, files };
}
