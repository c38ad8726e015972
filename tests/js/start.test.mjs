// `npm start --once`: the README's first command — the demo S3 bucket with its settings printed, the
// preflight refusing the refused samples, the discovered stripe set imported and followed to SUCCEEDED
// (the emulator reading the files from the demo S3); and with --no-s3, the fallback that still imports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const start = (...args) => spawnSync(process.execPath, ['www/start.mjs', '--once', ...args], { cwd: root, encoding: 'utf8', timeout: 600_000 });

/** The percentages the progress lines printed, in order. */
const percents = (stdout) => [...stdout.matchAll(/^ +(\d+) % {2}after \d+\.\d s$/gm)].map((m) => Number(m[1]));

test('npm start prints the demo S3 settings, refuses the refused samples and follows the import to SUCCEEDED', () => {
  const run = start();
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  const out = run.stdout;
  assert.match(out, /^ {2}bucket: {5}http:\/\/127\.0\.0\.1:\d+\/demo\/backups\/$/m);
  assert.match(out, /^ {14}= s3:\/\/127\.0\.0\.1:\d+\/demo\/backups\/ with s3\.endpoint http:\/\/127\.0\.0\.1:\d+ \(s3:\/\/ alone means https\)$/m);
  assert.match(out, /^ {2}endpoint: {3}http:\/\/127\.0\.0\.1:\d+ {3}\(any signing region\)$/m);
  assert.match(out, /^ {2}access key: DEMOACCESSKEY$/m);
  const secret = out.match(/^ {2}secret key: (\S+) {3}\(a local demo credential\)$/m)?.[1];
  assert.ok(secret, 'the secret key is printed for the demo');
  assert.equal(out.split(secret).length - 1, 1, 'the S3 secret appears once, on its own line: not in any request or result printed');
  assert.ok(!run.stderr.includes(secret));
  for (const key of ['full/full.bak', 'striped/sales-3of3.bak', 'compressed/compressed.bak', 'compressed/TutorialDB-compressed.bak', 'refused/log.bak', 'refused/encrypted.bak']) {
    assert.match(out, new RegExp(`^ {2}${key.replace(/[./]/g, '\\$&')} +\\S`, 'm'), `${key} is listed`);
  }

  assert.match(out, /^preflight of refused\/log\.bak: error \(LOG_BACKUP: an import of it would fail\)$/m);
  assert.match(out, /^preflight of refused\/encrypted\.bak: error \(ENCRYPTED_OR_UNREADABLE: an import of it would fail\)$/m);
  assert.match(out, /^ {2}proposed: striped\/sales-1of3\.bak, striped\/sales-2of3\.bak, striped\/sales-3of3\.bak \(FULL of SalesDb, 2024-06-01T08:00:00\)$/m);
  assert.match(out, /^ {2}verdict: ok; instance checks: instance passed, database passed, owner passed, restoreJobs passed, version passed, storage passed$/m);
  assert.match(out, /^import accepted: \{"accepted":true,"status":202,"traceId":"[0-9a-f]{32}"/m);

  const seen = percents(out);
  assert.ok(seen.length >= 3, `progress was printed while waiting: ${seen}`);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'progress only grows');
  assert.match(out, /^SUCCEEDED: database SalesDb_demo exists \(owner dbo_owner\) after \d+\.\d s, \d+ polls; the emulator read 3 files from S3 \(check PASSED\)$/m);
  assert.ok(out.indexOf('import accepted') < out.indexOf('SUCCEEDED'));
  assert.ok(!/^console:/m.test(out), '--once stops the console, so it prints no URL for it');
});

test('npm start --no-s3 says what is missing and still follows the demo import to SUCCEEDED', () => {
  const run = start('--no-s3');
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /^S3: not started — skipped \(--no-s3\)\.$/m);
  assert.match(run.stdout, /Upload, Discover and Preflight have no bucket to use\. Start without --no-s3 for them\.$/m);
  assert.ok(!/^ {2}bucket:/m.test(run.stdout));
  assert.match(run.stdout, /^import accepted: \{"accepted":true,"status":202,"traceId":"[0-9a-f]{32}"/m);
  assert.match(run.stdout, /^SUCCEEDED: database SalesDb_demo exists \(owner dbo_owner\) after \d+\.\d s, \d+ polls$/m);
  // The import's own S3 secret (no S3 behind it here) is never printed.
  assert.ok(!run.stdout.includes('demo-secret-key') && !run.stderr.includes('demo-secret-key'));
});
