// `upload` and `import --upload` spawned as users run them, against s3s-fs (SigV4 verified) and
// the emulator: progress lines, exit codes, Ctrl-C aborting the upload in S3, and a failed upload
// continued with --resume after the connection to S3 broke mid-way.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { ACCESS_KEY, SECRET_KEY, startS3Server } from '../support/s3-server.mjs';
import { cleanEnv, emulatorFlags, runCli } from './support/cli-support.mjs';
import { INSTANCE_ID, TOKEN, recordedRequests, uniqueDatabase } from './support/fixtures.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';
import { largeBackup } from './support/upload-cases.mjs';

const HOST = 'object.storage.eu01.onstackit.cloud';
const MIB = 1024 * 1024;
let s3;
let emulator;
let fixtures;
let work;

before(async () => {
  s3 = await startS3Server();
  s3.bucket('backups');
  emulator = await startEmulator({ port: 0, timeScale: 300 });
  fixtures = writeBackupFixtures();
  work = mkdtempSync(join(tmpdir(), 'ssfr-cli-upload-'));
});
after(async () => {
  await emulator?.stop();
  await s3?.stop();
});

const env = () => cleanEnv({ S3_ACCESS_KEY: ACCESS_KEY, S3_SECRET_KEY: SECRET_KEY });
const to = (prefix) => ['--to', `s3://${HOST}/backups/${prefix}`, '--s3-endpoint', s3.endpoint];
const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');
const pending = () => readdirSync(s3.root).filter((n) => n.startsWith('.upload'));
function backupFile(name, size, seed) {
  const path = join(work, name);
  writeFileSync(path, largeBackup(fixtures.files.get('single/full.bak'), size, seed));
  return path;
}

test('upload sends a file in parts with progress lines and prints the objects (--json)', async () => {
  const path = backupFile('sales.bak', 12 * MIB, 3);
  const run = await runCli(['upload', path, ...to('cli/'), '--part-size', '5', '--concurrency', '2', '--json'], { env: env() });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.deepEqual(result.files.map((f) => [f.number, f.key, f.parts]), [[1, 'cli/sales.bak', 3]]);
  assert.match(run.stderr, /^progress 100 %, 12\.0 MiB of 12\.0 MiB, .*done after/m);
  assert.equal(sha(readFileSync(join(s3.root, 'backups', 'cli/sales.bak'))), sha(readFileSync(path)));
  assert.ok(!run.stdout.includes(SECRET_KEY) && !run.stderr.includes(SECRET_KEY));
});

test('a file that is not a backup is refused before anything is sent (exit 5); wrong keys exit 3', async () => {
  const noise = join(work, 'noise.bak');
  writeFileSync(noise, new Uint8Array(100_000).fill(1));
  const refused = await runCli(['upload', noise, ...to('cli-refused/')], { env: env() });
  assert.equal(refused.code, 5, refused.stderr);
  assert.match(refused.stderr, /^error: .*NOT_SQL_BACKUP.* \[PREFLIGHT_FAILED\]$/m);
  assert.ok(!existsSync(join(s3.root, 'backups', 'cli-refused')));

  // A body within one socket write: s3s-fs refuses a bad signature before reading a larger body and
  // closes the connection, which the client then sees as a network error (EPIPE, exit 4) half the time.
  const denied = await runCli(['upload', join(fixtures.dir, 'single/compressed.bak'), ...to('cli-denied/'), '--secret-key', 'wrong-secret'], { env: env() });
  assert.equal(denied.code, 3, denied.stderr);
  assert.match(denied.stderr, /SignatureDoesNotMatch.*\[ACCESS_DENIED, HTTP 403\]/);

  const missing = await runCli(['upload', noise], { env: env() });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /missing --to/);
});

test('compressed files and files holding several sets are uploaded with their facts; an encrypted one exits 5', async () => {
  const files = [join(fixtures.dir, 'production/appended-compressed.bak')];
  const run = await runCli(['upload', ...files, ...to('cli-facts/'), '--progress', 'none'], { env: env() });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^# +OBJECT +SIZE +PARTS +COMPRESSED +SETS$/m);
  assert.match(run.stdout, /^1 +s3:\/\/\S+\/cli-facts\/appended-compressed\.bak +\S+ \S+ +1 +yes +2$/m);
  assert.match(run.stdout, /^a restore allocates 108\.0 MiB \(the database files the backup lists\)$/m);
  assert.match(run.stdout, /appended-compressed\.bak holds 2 backup sets; an import restores set 1:$/m);
  assert.match(run.stdout, /^warning MULTIPLE_BACKUP_SETS: /m);
  assert.match(run.stdout, /^info +COMPRESSED: /m);
  assert.ok(existsSync(join(s3.root, 'backups', 'cli-facts', 'appended-compressed.bak')));

  const encrypted = await runCli(['upload', join(fixtures.dir, 'single/encrypted.bak'), ...to('cli-encrypted/')], { env: env() });
  assert.equal(encrypted.code, 5, encrypted.stderr);
  assert.match(encrypted.stderr, /^error: .*ENCRYPTED_OR_UNREADABLE: .*\[PREFLIGHT_FAILED\]$/m);
  assert.match(encrypted.stderr, /nothing was sent \(--force uploads anyway\)/, 'the CLI names its own flag');
  assert.doesNotMatch(encrypted.stderr, /force: true/);
  assert.ok(!existsSync(join(s3.root, 'backups', 'cli-encrypted')), 'nothing was sent');

  const help = await runCli(['upload', '--help']);
  assert.match(help.stdout, /not encrypted or unreadable, stripe sets complete; compressed backups are fine/);
  assert.doesNotMatch(help.stdout, /not compressed/);
});

test('Ctrl-C aborts the multipart upload in S3 (exit 130, no parts left behind)', async () => {
  const path = backupFile('big.bak', 160 * MIB, 5);
  let interrupted = false;
  const run = await runCli(['upload', path, ...to('cli-abort/'), '--part-size', '5', '--concurrency', '1', '--progress', 'lines'], {
    env: env(),
    timeoutMs: 60_000,
    onOutput: (child, text) => {
      if (!interrupted && /progress [1-9]/.test(text.stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.ok(interrupted, run.stderr);
  assert.equal(run.code, 130, run.stderr);
  assert.match(run.stderr, /aborted in S3: no parts are left behind/);
  assert.deepEqual(pending(), []);
  assert.ok(!existsSync(join(s3.root, 'backups', 'cli-abort/big.bak')));
});

/** Forwards to s3s-fs, but after `parts` part uploads drops every connection, as a broken network would. */
async function breakingProxy(parts) {
  const { hostname, port } = new URL(s3.endpoint);
  let seen = 0;
  const server = createServer((req, res) => {
    if (req.url.includes('partNumber=') && (seen += 1) > parts) {
      req.socket.destroy();
      return;
    }
    const upstream = httpRequest({ hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
}

test('--keep-on-failure leaves a broken upload for --resume, which completes it', async () => {
  const path = backupFile('r.bak', 16 * MIB, 8);
  const proxy = await breakingProxy(2);
  const args = ['upload', path, '--to', `s3://${HOST}/backups/cli-resume/`, '--part-size', '5', '--concurrency', '1'];
  const failed = await runCli([...args, '--s3-endpoint', proxy.endpoint, '--keep-on-failure'], { env: env() });
  await proxy.stop();
  assert.equal(failed.code, 4, failed.stderr);
  const hint = /--resume (r\.bak=\S+)/.exec(failed.stderr);
  assert.ok(hint, failed.stderr);
  assert.equal(pending().filter((n) => n.endsWith('.json')).length, 1, 'the upload stays in S3');

  const resumed = await runCli([...args, '--s3-endpoint', s3.endpoint, '--resume', hint[1], '--json'], { env: env() });
  assert.equal(resumed.code, 0, resumed.stderr);
  // s3s-fs lists parts without ETags, so every part is sent again; S3 lists them and only missing parts go.
  assert.equal(JSON.parse(resumed.stdout).files[0].uploadId, hint[1].split('=')[1], 'the same upload was completed');
  assert.equal(sha(readFileSync(join(s3.root, 'backups', 'cli-resume/r.bak'))), sha(readFileSync(path)));
  assert.deepEqual(pending(), []);
});

test('import --upload uploads the stripes, then imports them in family order', async () => {
  const databaseName = uniqueDatabase('cli_upload');
  const stripes = ['sales-3of3.bak', 'sales-1of3.bak', 'sales-2of3.bak'].map((n) => join(fixtures.dir, 'striped', n));
  const run = await runCli(['import', '--upload', ...stripes, ...emulatorFlags(emulator.url), '--token', TOKEN,
    '--instance', INSTANCE_ID, '--database', databaseName, '--owner', 'dbo_owner',
    '--bucket', `s3://${HOST}/backups/cli-import/`, '--s3-endpoint', s3.endpoint, '--progress', 'none'], { env: env() });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /uploaded 3 file\(s\)/);
  assert.doesNotMatch(run.stdout, /^(error|warning) /m, 'a complete plain set: no findings to show');
  assert.match(run.stdout, /import accepted/);
  for (const stripe of stripes) assert.ok(existsSync(join(s3.root, 'backups', 'cli-import', stripe.split('/').pop())));
  const post = (await recordedRequests(emulator.url)).find((r) => JSON.stringify(r.body ?? '').includes(databaseName));
  const body = typeof post.body === 'string' ? JSON.parse(post.body) : post.body;
  assert.deepEqual(body.source.s3_details.s3_files.map((f) => [f.file_number, f.file_path.split('/').pop()]),
    [[1, 'sales-1of3.bak'], [2, 'sales-2of3.bak'], [3, 'sales-3of3.bak']]);

  const sets = await runCli(['import', '--upload', join(fixtures.dir, 'production/appended-2sets.bak'), ...emulatorFlags(emulator.url), '--token', TOKEN,
    '--instance', INSTANCE_ID, '--database', uniqueDatabase('cli_upload_sets'), '--owner', 'dbo_owner',
    '--bucket', `s3://${HOST}/backups/cli-import-sets/`, '--s3-endpoint', s3.endpoint, '--progress', 'none'], { env: env() });
  assert.equal(sets.code, 0, sets.stderr);
  assert.match(sets.stdout, /^uploaded 1 file\(s\) .*\nwarning MULTIPLE_BACKUP_SETS: .*restores set 1, a full backup of 2024-01-01T22:00:00/m, 'the upload check\'s findings show without --preflight');

  const stray = await runCli(['import', join(fixtures.dir, 'single/full.bak')], { env: env() });
  assert.equal(stray.code, 2);
  assert.match(stray.stderr, /local files need --upload/);
});
