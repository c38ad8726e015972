// The CLI's `import` against the emulator, spawned as users run it (`node pkg/cli.mjs import …`):
// validation before sending (exit 2), masked dry runs, the accepted import with non-TTY progress
// lines to SUCCEEDED, --json for scripts, and Ctrl-C while waiting (exit 130, restore continues).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { cleanEnv, emulatorFlags, runCli } from './support/cli-support.mjs';
import { BUCKET, INSTANCE_ID, TOKEN, recordedRequests, uniqueDatabase } from './support/fixtures.mjs';

const S3_SECRET = 'cli-test-S3CR3T-never-print';
const S3_ACCESS = 'CLIACCESSKEY';
let fast;
let slow;

before(async () => {
  // 10-minute restores in about 2 s for the runs that wait to the end; real time for Ctrl-C.
  fast = await startEmulator({ port: 0, timeScale: 300 });
  slow = await startEmulator({ port: 0, timeScale: 1 });
});

after(async () => {
  await fast?.stop();
  await slow?.stop();
});

const s3Env = (extra = {}) => cleanEnv({ S3_ACCESS_KEY: S3_ACCESS, S3_SECRET_KEY: S3_SECRET, ...extra });
const importArgs = (emulatorUrl, databaseName, extra = []) => [
  'import', ...emulatorFlags(emulatorUrl), '--token', TOKEN,
  '--instance', INSTANCE_ID, '--database', databaseName, '--owner', 'dbo_owner',
  '--bucket', BUCKET, '--file', 'sales.bak', ...extra,
];
const fastPolling = ['--min-poll-ms', '100', '--max-poll-ms', '300'];

function assertNoSecret(run) {
  for (const secret of [S3_SECRET, TOKEN]) {
    assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `${secret} printed:\n${run.stdout}\n${run.stderr}`);
  }
}

test('invalid input lists every problem next to its flag, sends nothing and exits 2', async () => {
  const databaseName = uniqueDatabase('cli_invalid');
  const before = (await recordedRequests(fast.url)).length;
  const run = await runCli([
    'import', ...emulatorFlags(fast.url), '--token', TOKEN, '--instance', 'not-a-uuid', '--database', 'master',
    '--owner', 'dbo_owner', '--bucket', BUCKET, '--file', 's3://elsewhere/other/sales.bak', '--file', 'notes.txt',
  ], { env: s3Env() });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /error: invalid input \(nothing was sent\)/);
  assert.match(run.stderr, /--instance \(instanceId\): must be a UUID/);
  assert.match(run.stderr, /--database \(databaseName\): master is a SQL Server system database.*\[reserved_name\]/);
  assert.match(run.stderr, /--file #1 \(s3\.files\[0\]\.path\): .*\[not_in_bucket\]/);
  assert.match(run.stderr, /warning: --file #2 \(s3\.files\[1\]\.path\): .*\[unusual_extension\]/);
  assert.equal((await recordedRequests(fast.url)).length, before, 'nothing sent');
  assert.ok(!run.stderr.includes(databaseName));
  assertNoSecret(run);
});

test('missing S3 keys are named with their flags; the environment fills them', async () => {
  const run = await runCli(importArgs(fast.url, 'x_db', ['--dry-run']), { env: cleanEnv() });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--access-key \(s3\.accessKey\): .*\[required\]/);
  assert.match(run.stderr, /--secret-key \(s3\.secretKey\): .*\[required\]/);
  const aws = await runCli(importArgs(fast.url, 'x_db', ['--dry-run']), {
    env: cleanEnv({ AWS_ACCESS_KEY_ID: S3_ACCESS, AWS_SECRET_ACCESS_KEY: S3_SECRET }),
  });
  assert.equal(aws.code, 0, aws.stderr);
  assertNoSecret(aws);
});

test('--dry-run --curl prints the command with $TOKEN and $S3_SECRET_KEY, sends nothing', async () => {
  const before = (await recordedRequests(fast.url)).length;
  const run = await runCli(importArgs(fast.url, 'dry_db', ['--dry-run', '--curl', '--logging-guid', '1']), { env: s3Env() });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^dry run: the input is valid; nothing was sent\./m);
  assert.match(run.stdout, /curl .*-X POST -H "Authorization: Bearer \$TOKEN"/);
  assert.match(run.stdout, /"s3_access_secret": "'"\$S3_SECRET_KEY"'"/);
  assert.match(run.stdout, new RegExp(`"file_path": "${BUCKET}sales.bak"`));
  assert.ok(run.stdout.includes(`${fast.url}/v3/projects/11111111-1111-4111-8111-111111111111/regions/eu01/instances/${INSTANCE_ID}/restores`));
  assert.equal((await recordedRequests(fast.url)).length, before, 'nothing sent');
  assertNoSecret(run);

  const json = await runCli(importArgs(fast.url, 'dry_db', ['--dry-run', '--json']), { env: s3Env() });
  assert.equal(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout);
  assert.equal(parsed.dryRun, true);
  assert.equal(parsed.request.headers.authorization, 'Bearer ***');
  assert.equal(parsed.request.body.source.s3_details.s3_access_secret, '***');
  assertNoSecret(json);
});

test('import --wait without a terminal prints progress lines and ends SUCCEEDED (exit 0)', async () => {
  const databaseName = uniqueDatabase('cli_wait');
  const run = await runCli(importArgs(fast.url, databaseName, ['--wait', ...fastPolling]), { env: s3Env() });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`^import accepted \\(HTTP 202\\): ${databaseName} on instance ${INSTANCE_ID}$`, 'm'));
  assert.match(run.stdout, /^ {2}trace id: {5}[0-9a-f]{32}$/m);
  assert.match(run.stdout, new RegExp(`^SUCCEEDED: database ${databaseName} restored \\(owner dbo_owner`, 'm'));
  const lines = run.stderr.split('\n').filter((line) => line.startsWith('progress '));
  assert.ok(lines.length >= 2, run.stderr);
  for (const line of lines.slice(0, -1)) assert.match(line, /^progress \d{1,3} %, ETA (in .+|any moment|–), elapsed \d+ s$/);
  assert.match(lines.at(-1), /^progress 100 %, done after \d+ s$/);
  assert.ok(!run.stderr.includes('\r') && !run.stderr.includes('\x1b['), 'no terminal control codes in a pipe');
  assertNoSecret(run);
  const posted = (await recordedRequests(fast.url)).filter((r) => r.method === 'POST' && JSON.stringify(r.body ?? '').includes(databaseName));
  assert.equal(posted.length, 1);
});

test('--json prints one parseable document: the accepted import and the final state', async () => {
  const databaseName = uniqueDatabase('cli_json');
  const run = await runCli(importArgs(fast.url, databaseName, ['--wait', '--json', ...fastPolling]), { env: s3Env() });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.equal(result.accepted, true);
  assert.equal(result.status, 202);
  assert.match(result.traceId, /^[0-9a-f]{32}$/);
  assert.match(result.loggingGuid, /^[0-9a-f-]{36}$/);
  assert.equal(result.state, 'SUCCEEDED');
  assert.equal(result.database.name, databaseName);
  assertNoSecret(run);

  // Errors are JSON too, with code, status and trace id.
  const conflict = await runCli(importArgs(fast.url, databaseName, ['--json']), { env: s3Env() });
  assert.equal(conflict.code, 4, conflict.stderr);
  const { error } = JSON.parse(conflict.stdout);
  assert.equal(error.name, 'ConflictError');
  assert.equal(error.status, 409);
  assert.match(error.traceId, /^[0-9a-f]{32}$/);
  assert.match(conflict.stderr, /^error: .*\[.*HTTP 409\]$/m);
  assert.match(conflict.stderr, /^ {2}trace id: [0-9a-f]{32}$/m);
});

test('a failed restore ends FAILED with exit 1', async () => {
  const databaseName = uniqueDatabase('cli_fail');
  await fetch(`${fast.url}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'fail-restore', atPercent: 30, failureReason: 'corrupt backup' }),
  });
  const run = await runCli(importArgs(fast.url, databaseName, ['--wait', '--progress', 'none', ...fastPolling]), { env: s3Env() });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, new RegExp(`^FAILED: the restore of ${databaseName} ended and the database does not exist`, 'm'));
  assert.ok(!run.stderr.includes('progress '), '--progress none');
});

test('Ctrl-C while waiting stops cleanly with exit 130 and says the restore continues server-side', async () => {
  const databaseName = uniqueDatabase('cli_sigint');
  let sent = false;
  const run = await runCli(importArgs(slow.url, databaseName, ['--wait']), {
    env: s3Env(),
    onOutput: (child, text) => {
      if (!sent && /^progress /m.test(text.stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.ok(sent, `no progress seen:\n${run.stdout}\n${run.stderr}`);
  assert.equal(run.code, 130, run.stderr);
  assert.match(run.stderr, new RegExp(`stopped waiting \\(interrupted\\)\\. The restore of ${databaseName} continues server-side`));
  assert.match(run.stderr, new RegExp(`sqlserverflex-restore wait --instance ${INSTANCE_ID} --database ${databaseName}`));
  const jobs = await runCli(['jobs', ...emulatorFlags(slow.url), '--token', TOKEN, '--instance', INSTANCE_ID, '--json']);
  assert.equal(jobs.code, 0, jobs.stderr);
  assert.ok(JSON.parse(jobs.stdout).runningRestores.some((r) => r.databaseName === databaseName), 'still running server-side');
});
