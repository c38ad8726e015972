// `npm start --once`: the README's first command triggers an import against the emulator and prints it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

test('npm start runs a demo import that the emulator accepts', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const run = spawnSync(process.execPath, ['www/start.mjs', '--once'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /import accepted: \{"accepted":true,"status":202,"traceId":"[0-9a-f]{32}"/);
  assert.ok(!run.stdout.includes('demo-secret-key') && !run.stderr.includes('demo-secret-key'));
});
