// The CLI's `import --plan` and `--record`, spawned as users run them, against the emulator: a CSV
// plan's problems all at once (exit 2, nothing sent), a JSON plan run with --concurrency 2 and a
// records file, a re-run that skips what SUCCEEDED, and `wait --record` following an import that
// `import --record` left running.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { cleanEnv, emulatorFlags, runCli } from './support/cli-support.mjs';
import { BUCKET, INSTANCE_ID, TOKEN, recordedRequests, uniqueDatabase } from './support/fixtures.mjs';

const S3_SECRET = 'cli-plan-S3CR3T-never-print';
let emulator;
let dir;

before(async () => {
  emulator = await startEmulator({ port: 0, timeScale: 600, maxParallelRestores: 1 });
  dir = mkdtempSync(join(tmpdir(), 'ssfr-plan-'));
});
after(() => emulator?.stop());

const env = () => cleanEnv({ S3_ACCESS_KEY: 'PLANACCESS', S3_SECRET_KEY: S3_SECRET });
const planArgs = (plan, extra = []) => [
  'import', ...emulatorFlags(emulator.url), '--token', TOKEN, '--instance', INSTANCE_ID, '--bucket', BUCKET,
  '--plan', plan, '--no-preflight', '--min-poll-ms', '50', '--max-poll-ms', '300', ...extra,
];
const file = (name, text) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const accepted = async (name) => (await recordedRequests(emulator.url))
  .filter((r) => r.method === 'POST' && r.status === 202 && JSON.stringify(r.body).includes(`"${name}"`)).length;

test('a CSV plan with problems in several rows lists them all, sends nothing and exits 2', async () => {
  const plan = file('bad.csv', 'database,owner,files\nsales_ok,dbo_owner,sales.bak\nmaster,dbo_owner,sales.bak\nbad name,dbo_owner,sales.bak\n,dbo_owner,x.bak\n');
  const before = (await recordedRequests(emulator.url)).length;
  const run = await runCli(planArgs(plan), { env: env() });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /row 4: database is required/);
  const second = await runCli(planArgs(file('bad2.csv', 'database,owner,files\nsales_ok,dbo_owner,sales.bak\nmaster,dbo_owner,sales.bak\nbad-name,dbo_owner,sales.bak\n')), { env: env() });
  assert.equal(second.code, 2);
  assert.match(second.stderr, /row 2 \(master\).*system database/);
  assert.match(second.stderr, /row 3 \(bad-name\)/);
  assert.equal((await recordedRequests(emulator.url)).length, before, 'nothing sent');
  assert.ok(!run.stderr.includes(S3_SECRET) && !second.stderr.includes(S3_SECRET));
});

test('a JSON plan runs with --concurrency 2 and a records file; a re-run skips what SUCCEEDED', async () => {
  const names = [1, 2, 3, 4].map(() => uniqueDatabase('cli_plan'));
  const plan = file('plan.json', JSON.stringify({ defaults: { owner: 'dbo_owner' }, rows: names.map((database) => ({ database, files: ['sales.bak'] })) }));
  const records = join(dir, 'run.json');
  const run = await runCli(planArgs(plan, ['--concurrency', '2', '--wait', '--record', records, '--json']), { env: env(), timeoutMs: 60_000 });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.deepEqual(result.rows.map((r) => [r.databaseName, r.state]), names.map((n) => [n, 'SUCCEEDED']));
  assert.match(run.stderr, /triggered \(trace id [0-9a-f]{32}\)/);
  const saved = JSON.parse(readFileSync(records, 'utf8'));
  assert.equal(saved.kind, 'sqlserverflex-restore/records');
  assert.deepEqual(saved.records.map((r) => r.outcome), names.map(() => 'SUCCEEDED'));
  assert.ok(!readFileSync(records, 'utf8').includes(S3_SECRET) && !run.stdout.includes(S3_SECRET));

  const again = await runCli(planArgs(plan, ['--wait', '--record', records]), { env: env(), timeoutMs: 60_000 });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /SUCCEEDED \(earlier run\)/);
  assert.match(again.stdout, /row\s+database\s+state\s+duration\s+trace id/);
  for (const name of names) assert.equal(await accepted(name), 1, `${name} triggered once over both runs`);
});

test('import --record without --wait, then wait --record follows it to the end and updates the record', async () => {
  const databaseName = uniqueDatabase('cli_record');
  const records = join(dir, `${databaseName}.json`);
  const started = await runCli(['import', ...emulatorFlags(emulator.url), '--token', TOKEN, '--instance', INSTANCE_ID, '--database', databaseName,
    '--owner', 'dbo_owner', '--bucket', BUCKET, '--file', 'sales.bak', '--record', records], { env: env() });
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, new RegExp(`follow it with: sqlserverflex-restore wait --record ${records.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const [record] = JSON.parse(readFileSync(records, 'utf8')).records;
  assert.equal(record.outcome, null);

  const waited = await runCli(['wait', ...emulatorFlags(emulator.url), '--token', TOKEN, '--record', records, '--min-poll-ms', '50', '--max-poll-ms', '300', '--json'], { env: cleanEnv(), timeoutMs: 60_000 });
  assert.equal(waited.code, 0, waited.stderr);
  assert.equal(JSON.parse(waited.stdout).state, 'SUCCEEDED');
  const [updated] = JSON.parse(readFileSync(records, 'utf8')).records;
  assert.equal(updated.outcome, 'SUCCEEDED');
  assert.equal(updated.acceptedAt, record.acceptedAt);
  assert.ok(updated.polls >= 1);

  const both = await runCli(['wait', ...emulatorFlags(emulator.url), '--token', TOKEN, '--record', records, '--instance', INSTANCE_ID], { env: cleanEnv() });
  assert.equal(both.code, 2);
  assert.match(both.stderr, /give --record or --instance, not both/);
});
