// API calls to watch one simulated 10-minute restore: the package's waiter versus fixed 5-second
// polling (the STACKIT Go SDK's wait default), both running at once against the same emulator.
// The emulator runs restores SCALE× faster, and every delay is divided by SCALE too, so the counts
// are those of a real 10-minute restore. Writes bench/results/waiter.md.
import { writeFileSync } from 'node:fs';
import { RestoreClient } from 'sqlserverflex-restore';
import { DEFAULT_INSTANCE_ID, DEFAULT_PROJECT_ID, DEFAULT_TOKEN, startEmulator } from 'sqlserverflex-restore/emulator';

const SCALE = 10;
const RESTORE_MS = 600_000;
const FIXED_INTERVAL_MS = 5_000;
const BUCKET = 's3://object.storage.eu01.onstackit.cloud/bench/';

const emulator = await startEmulator({ port: 0, timeScale: SCALE, restoreDurationMs: RESTORE_MS });
const client = new RestoreClient({ projectId: DEFAULT_PROJECT_ID, region: 'eu01', baseUrl: emulator.url, token: DEFAULT_TOKEN });
const input = (databaseName) => ({
  instanceId: DEFAULT_INSTANCE_ID, databaseName, databaseOwner: 'dbo_owner',
  s3: { bucket: BUCKET, accessKey: 'AK', secretKey: 'SK', files: [{ path: `${BUCKET}db.bak` }] },
});

async function waiter(databaseName) {
  await client.importFromS3(input(databaseName));
  const start = Date.now();
  const result = await client.waitForRestore(
    { instanceId: DEFAULT_INSTANCE_ID, databaseName },
    { minDelayMs: 2_000 / SCALE, maxDelayMs: 60_000 / SCALE },
  );
  return { state: result.state, seconds: ((Date.now() - start) * SCALE) / 1000 };
}

async function fixedPolling(databaseName) {
  await client.importFromS3(input(databaseName));
  const start = Date.now();
  for (;;) {
    const { runningRestores } = await client.listRestoreJobs({ instanceId: DEFAULT_INSTANCE_ID });
    if (!runningRestores.some((j) => j.databaseName === databaseName)) break;
    await new Promise((resolve) => setTimeout(resolve, FIXED_INTERVAL_MS / SCALE));
  }
  await client.getDatabase({ instanceId: DEFAULT_INSTANCE_ID, databaseName });
  return { state: 'SUCCEEDED', seconds: ((Date.now() - start) * SCALE) / 1000 };
}

// Restore-jobs answers cover every database of the instance, so each strategy's polls are told
// apart by the requests each one sends; run them one after the other on one emulator.
const before = emulator.requests().length;
const adaptive = await waiter('bench_waiter');
const adaptiveCalls = emulator.requests().slice(before).filter((r) => r.method === 'GET').length;
const middle = emulator.requests().length;
const fixed = await fixedPolling('bench_fixed');
const fixedCalls = emulator.requests().slice(middle).filter((r) => r.method === 'GET').length;
await emulator.stop();

const table = `## Waiter: API calls for one 10-minute restore

Emulator restore of ${RESTORE_MS / 60_000} min, run ${SCALE}× faster with every delay scaled alike; same emulator run.

| strategy | GET calls | noticed the end after (simulated s) | ratio |
|---|---|---|---|
| \`waitForRestore\` (ETA + rate schedule, 2–60 s bounds) | ${adaptiveCalls} | ${adaptive.seconds.toFixed(0)} | ${(adaptiveCalls / fixedCalls).toFixed(2)} |
| fixed 5 s polling (STACKIT Go SDK default) | ${fixedCalls} | ${fixed.seconds.toFixed(0)} | 1.00 |
`;
writeFileSync(new URL('./results/waiter.md', import.meta.url), table);
console.log(table);
