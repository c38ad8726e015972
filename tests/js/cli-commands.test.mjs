// The CLI's other faces: help and version, `jobs`, `backups` and `wait` against the emulator (`inspect`:
// cli-inspect.test.mjs),
// credentials from flags, key files and STACKIT's environment (exit 3 when missing or refused),
// network failures (exit 4), the announced-but-not-yet-available features (exit 2), and the
// terminal progress bar.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { RestoreClient, version } from 'sqlserverflex-restore';
import { cleanEnv, emulatorFlags, runCli } from './support/cli-support.mjs';
import { INSTANCE_ID, TOKEN, clientOptions, importInput, uniqueDatabase } from './support/fixtures.mjs';
import { renderBar, renderLine, createProgressReporter } from '../../pkg/cli/progress.mjs';

let emulator;

before(async () => {
  emulator = await startEmulator({ port: 0, timeScale: 300 });
});

after(async () => {
  await emulator?.stop();
});

test('--version, --help, per-command help and unknown commands', async () => {
  const v = await runCli(['--version']);
  assert.equal(v.code, 0);
  assert.equal(v.stdout.trim(), version);

  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  for (const command of ['import', 'wait', 'jobs', 'backups', 'inspect', 'upload', 'emulator']) {
    assert.match(help.stdout, new RegExp(`^ {2}${command} `, 'm'));
  }
  assert.match(help.stdout, /Exit codes: 0 success, 1 restore failed, 2 usage\/validation, 3 auth, 4 API\/network, 130 Ctrl-C/);

  const importHelp = await runCli(['import', '--help']);
  assert.equal(importHelp.code, 0);
  for (const flag of ['--instance', '--database', '--owner', '--logging-guid', '--bucket', '--access-key', '--secret-key',
    '--file', '--discover', '--preflight', '--wait', '--dry-run', '--curl', '--json', '--api-version', '--base-url',
    '--region', '--project', '--token', '--key-file']) {
    assert.match(importHelp.stdout, new RegExp(`^ {2}${flag} `, 'm'), flag);
  }
  for (const command of ['wait', 'jobs', 'backups', 'inspect', 'upload']) {
    const run = await runCli([command, '--help']);
    assert.equal(run.code, 0, command);
    assert.match(run.stdout, new RegExp(`^Usage: sqlserverflex-restore ${command} `), command);
  }

  const unknown = await runCli(['restore-everything']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^unknown command: restore-everything/);
  const badFlag = await runCli(['jobs', '--instance', INSTANCE_ID, '--colour']);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /Unknown option '--colour'/);
  assert.match(badFlag.stderr, /see: sqlserverflex-restore jobs --help/);
});

test('jobs and backups print tables, and JSON with --json', async () => {
  const databaseName = uniqueDatabase('cli_jobs');
  const client = new RestoreClient(clientOptions(emulator.url));
  await client.importFromS3(importInput(databaseName));
  const flags = [...emulatorFlags(emulator.url), '--token', TOKEN, '--instance', INSTANCE_ID];

  const jobs = await runCli(['jobs', ...flags]);
  assert.equal(jobs.code, 0, jobs.stderr);
  assert.match(jobs.stdout, /^DATABASE +PERCENT +STARTED \(UTC\) +ESTIMATED END \(UTC\) +COMMAND$/m);
  assert.match(jobs.stdout, new RegExp(`^${databaseName} +\\d+ % `, 'm'));

  const backups = await runCli(['backups', ...flags, '--database', 'existing_db']);
  assert.equal(backups.code, 0, backups.stderr);
  assert.match(backups.stdout, /^DATABASE +ID +COMPLETED +TYPE +SIZE +RETAINED UNTIL +NAME$/m);
  assert.ok(!backups.stdout.includes('dropped_db'), 'filtered by --database');
  const json = await runCli(['backups', ...flags, '--json']);
  const parsed = JSON.parse(json.stdout);
  assert.ok(parsed.backups.length >= 2);
  assert.deepEqual(new Set(parsed.backups.map((b) => b.databaseName)), new Set(['existing_db', 'dropped_db']));
});

test('wait follows a running restore to SUCCEEDED; --progress bar redraws one line', async () => {
  const databaseName = uniqueDatabase('cli_waitcmd');
  await new RestoreClient(clientOptions(emulator.url)).importFromS3(importInput(databaseName));
  const run = await runCli(['wait', ...emulatorFlags(emulator.url), '--token', TOKEN, '--instance', INSTANCE_ID,
    '--database', databaseName, '--progress', 'bar', '--min-poll-ms', '100', '--max-poll-ms', '300']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`^SUCCEEDED: database ${databaseName} restored`, 'm'));
  assert.match(run.stderr, /\r\x1b\[2K\[[█░]{30}\] +\d+ % {2}ETA /);
  assert.match(run.stderr, /\r\x1b\[2K\[█{30}\] 100 % {2}done after \d+ s\n$/);
});

test('credentials: STACKIT env token, key file, none (exit 3), refused (exit 3); network errors exit 4', async () => {
  const flags = [...emulatorFlags(emulator.url), '--instance', INSTANCE_ID, '--json'];
  const fromEnv = await runCli(['jobs', ...flags], { env: cleanEnv({ STACKIT_SERVICE_ACCOUNT_TOKEN: TOKEN }) });
  assert.equal(fromEnv.code, 0, fromEnv.stderr);

  const env = cleanEnv();
  const keyFile = join(env.HOME, 'sa-key.json');
  writeFileSync(keyFile, JSON.stringify(emulator.addServiceAccount({ email: 'cli@sa.stackit.cloud' })));
  const withKey = await runCli(['jobs', ...flags, '--key-file', keyFile], { env });
  assert.equal(withKey.code, 0, withKey.stderr);
  const keyFromEnv = await runCli(['jobs', ...flags], { env: { ...env, STACKIT_SERVICE_ACCOUNT_KEY_PATH: keyFile } });
  assert.equal(keyFromEnv.code, 0, keyFromEnv.stderr);

  const none = await runCli(['jobs', ...flags]);
  assert.equal(none.code, 3);
  assert.match(none.stderr, /^error: no credentials: pass --key-file or --token/m);

  const badKey = join(env.HOME, 'broken.json');
  writeFileSync(badKey, '{"credentials": {"privateKey": "-----BEGIN PRIVATE KEY----- very-secret');
  const broken = await runCli(['jobs', ...flags, '--key-file', badKey], { env });
  assert.equal(broken.code, 3);
  assert.match(broken.stderr, /is not valid JSON/);
  assert.ok(!broken.stderr.includes('very-secret') && !broken.stdout.includes('very-secret'));

  const refused = await runCli(['jobs', ...flags, '--token', 'cli-wrong-token-never-print']);
  assert.equal(refused.code, 3);
  assert.equal(JSON.parse(refused.stdout).error.status, 401);
  assert.ok(!refused.stdout.includes('cli-wrong-token-never-print') && !refused.stderr.includes('cli-wrong-token-never-print'));

  const unreachable = await runCli(['jobs', '--base-url', 'http://127.0.0.1:9', '--project', '11111111-1111-4111-8111-111111111111',
    '--instance', INSTANCE_ID, '--token', TOKEN, '--timeout-ms', '2000']);
  assert.equal(unreachable.code, 4);
  assert.match(unreachable.stderr, /^error: .*\[NETWORK_ERROR\]$/m);
});

test('progress rendering: bar and plain lines carry percent, ETA and elapsed', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');
  const event = { percent: 35, estimatedCompletion: new Date(now + 65_000), elapsedMs: 35_000 };
  assert.equal(renderBar(event, now, 20), `[${'█'.repeat(7)}${'░'.repeat(13)}]  35 %  ETA in 1 min 05 s  elapsed 35 s`);
  assert.equal(renderLine(event, now), 'progress 35 %, ETA in 1 min 05 s, elapsed 35 s');
  assert.equal(renderLine({ percent: 99, estimatedCompletion: null, elapsedMs: 3_700_000 }, now), 'progress 99 %, ETA –, elapsed 1 h 01 min');
  const written = [];
  const reporter = createProgressReporter({ mode: 'lines', stream: { write: (t) => written.push(t) }, now: () => now });
  reporter.update(event);
  reporter.update(event);
  reporter.finish({ percent: 100, elapsedMs: 90_000, done: true });
  assert.deepEqual(written, ['progress 35 %, ETA in 1 min 05 s, elapsed 35 s\n', 'progress 100 %, done after 1 min 30 s\n']);
});
