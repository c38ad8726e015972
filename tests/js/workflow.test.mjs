// examples/workflow: the Cloudflare Workflow that imports and follows a restore durably, in workerd
// (Miniflare's Workflows support), bundled as wrangler bundles it, against the emulator over loopback
// with restores scaled to seconds: preflighted, triggered once, followed to SUCCEEDED and to FAILED,
// and a trigger step retried after its connection dropped sends one POST (the emulator's recording).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { ACCESS_KEY, SECRET_KEY, startS3Server } from '../support/s3-server.mjs';
import { wranglerOptions } from '../support/wrangler-bundle.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';
import { INSTANCE_ID, PROJECT_ID, TOKEN } from './support/fixtures.mjs';

const entry = fileURLToPath(new URL('../../examples/workflow/workflow.mjs', import.meta.url));
const BUCKET = 's3://object.storage.eu01.onstackit.cloud/backups/';
let dir;
let s3;
let bundle;
let emulator;
let miniflare;
let counter = 0;

before(async () => {
  // The preflight reads the backup's header from a real S3 server that verifies signatures.
  s3 = await startS3Server();
  s3.put('backups', 'sales.bak', writeBackupFixtures().files.get(join('single', 'full.bak')));
  dir = mkdtempSync(join(tmpdir(), 'restore-workflow-'));
  bundle = join(dir, 'workflow.js');
  await build({ ...wranglerOptions(dir), entryPoints: [entry], outfile: bundle, external: ['cloudflare:*'] });
});

after(async () => {
  await miniflare?.dispose().catch(() => {});
  await emulator?.stop();
  await s3?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh emulator (its recording and faults this test's own) and the Workflow Worker bound to it. */
async function start() {
  await miniflare?.dispose().catch(() => {});
  await emulator?.stop();
  emulator = await startEmulator({ port: 0, timeScale: 600, restoreDurationMs: 600_000 });
  miniflare = new Miniflare({
    modules: true, scriptPath: bundle, modulesRoot: dir, compatibilityDate: '2026-07-01',
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    workflows: { RESTORE_WORKFLOW: { name: 'restore', className: 'RestoreWorkflow' } },
    bindings: {
      STACKIT_PROJECT_ID: PROJECT_ID, STACKIT_REGION: 'eu01', STACKIT_API_BASE_URL: emulator.url,
      STACKIT_SERVICE_ACCOUNT_TOKEN: TOKEN, S3_ACCESS_KEY: ACCESS_KEY, S3_SECRET_KEY: SECRET_KEY, S3_ENDPOINT: s3.endpoint,
      RESTORE_CLIENT_OPTIONS: JSON.stringify({ maxRetries: 1, retry: { baseDelayMs: 10, maxDelayMs: 50, verifyDelayMs: 50 } }),
    },
  });
  return (await miniflare.ready).href.replace(/\/$/, '');
}

function payload(databaseName) {
  return { instanceId: INSTANCE_ID, databaseName, databaseOwner: 'dbo_owner', bucket: BUCKET, files: [{ number: 1, path: `${BUCKET}sales.bak` }] };
}

/** Starts an import through the Worker's HTTP entry and polls its status until the workflow ends. */
async function runImport(url, databaseName) {
  const started = await fetch(`${url}/imports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload(databaseName)) });
  assert.equal(started.status, 202);
  const { id } = await started.json();
  for (;;) {
    const status = await (await fetch(`${url}/imports/${id}`)).json();
    if (status.status === 'complete' || status.status === 'errored' || status.status === 'terminated') return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function recorded(operation) {
  return (await (await fetch(`${emulator.url}/_emulator/requests?operation=${operation}`)).json()).requests;
}

const unique = (prefix) => `${prefix}_${process.pid}_${(counter += 1)}`;

test('the Workflow preflights, triggers once and follows the restore to SUCCEEDED', async () => {
  const url = await start();
  const databaseName = unique('wf_ok');
  const status = await runImport(url, databaseName);
  assert.equal(status.status, 'complete', JSON.stringify(status.error));
  assert.equal(status.output.state, 'SUCCEEDED');
  assert.notEqual(status.output.preflight, 'error', 'the backup was read and the instance checked');
  assert.equal(status.output.triggeredBy, 'this workflow');
  assert.match(status.output.traceId, /^[0-9a-f]{32}$/);
  assert.ok(status.output.polls >= 2, 'followed over several steps');
  const posts = (await recorded('RestoreDatabaseFromBackup')).filter((r) => JSON.stringify(r.body).includes(databaseName));
  assert.equal(posts.length, 1);
  assert.ok((await recorded('GetInstance')).length >= 1, 'the instance was preflighted');
  assert.ok(!JSON.stringify(status).includes(SECRET_KEY), 'no secret in what the workflow stored');
});

test('a restore that fails is followed to FAILED', async () => {
  const url = await start();
  const databaseName = unique('wf_fail');
  emulator.faults.add({ operation: 'RestoreDatabaseFromBackup', kind: 'fail-restore', atPercent: 30, failureReason: 'the backup is damaged' });
  const status = await runImport(url, databaseName);
  assert.equal(status.status, 'complete', JSON.stringify(status.error));
  assert.equal(status.output.state, 'FAILED');
  assert.equal((await recorded('RestoreDatabaseFromBackup')).length, 1);
});

test('a trigger step retried after its connection dropped sends one POST', async () => {
  const url = await start();
  const databaseName = unique('wf_retry');
  // The POST is executed but its answer lost; the client's own check right after fails too (two
  // restore-jobs reads: the preflight's and the step's own look come first), so the step fails and
  // Workflows retries it: the retry finds the restore running and does not POST again.
  emulator.faults.add([
    { operation: 'RestoreDatabaseFromBackup', kind: 'reset-after', times: 1 },
    { operation: 'ListCurrentRunningRestoreJobs', kind: 'status', status: 502, skip: 2, times: 2 },
  ]);
  const status = await runImport(url, databaseName);
  assert.equal(status.status, 'complete', JSON.stringify(status.error));
  assert.equal(status.output.state, 'SUCCEEDED');
  assert.equal(status.output.triggeredBy, 'an earlier attempt');
  const posts = (await recorded('RestoreDatabaseFromBackup')).filter((r) => JSON.stringify(r.body).includes(databaseName));
  assert.equal(posts.length, 1, 'one POST although the trigger step ran twice');
});

test('bad parameters are refused by the HTTP entry; secrets in the payload are refused', async () => {
  const url = await start();
  const missing = await fetch(`${url}/imports`, { method: 'POST', body: JSON.stringify({ databaseName: 'x' }) });
  assert.equal(missing.status, 400);
  assert.match((await missing.json()).error, /instanceId is required/);
  const secret = await fetch(`${url}/imports`, { method: 'POST', body: JSON.stringify({ ...payload('x'), secretKey: 'no' }) });
  assert.equal(secret.status, 400);
  assert.match((await secret.json()).error, /secretKey must not be in the payload/);
  assert.equal((await recorded('RestoreDatabaseFromBackup')).length, 0);
});
