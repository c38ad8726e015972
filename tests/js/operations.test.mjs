// Every client operation against the emulator over real HTTP: restores, their progress in
// restore-jobs, and the typed read operations, in both API versions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RestoreClient } from 'sqlserverflex-restore';
import {
  DEFAULT_DROPPED_DATABASE, DEFAULT_EXISTING_DATABASE, DEFAULT_INSTANCE_ID, startEmulator,
} from 'sqlserverflex-restore/emulator';
import { clientOptions, importInput, uniqueDatabase } from './support/fixtures.mjs';

const RESTORE_MS = 600_000;
let emulator;

before(async () => {
  emulator = await startEmulator({ port: 0, manualClock: true, restoreDurationMs: RESTORE_MS });
});
after(() => emulator.stop());

for (const apiVersion of ['v3', 'v3alpha1']) {
  describe(apiVersion, () => {
    const client = () => new RestoreClient(clientOptions(emulator.url, { apiVersion }));
    const instanceId = DEFAULT_INSTANCE_ID;
    // Each version starts from the default scenario (the backup restore recreates dropped_db).
    before(() => fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' }));

    test('an import shows up in restore-jobs, advances, and ends with the database existing', async () => {
      const databaseName = uniqueDatabase(`ops_${apiVersion}`);
      await client().importFromS3(importInput(databaseName));
      const running = (await client().listRestoreJobs({ instanceId })).runningRestores.find((j) => j.databaseName === databaseName);
      assert.ok(running, 'the job is listed');
      assert.equal(running.percentComplete, 0);
      assert.match(running.startTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      assert.match(running.estimatedCompletionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);

      emulator.advanceClock(RESTORE_MS / 2);
      const half = (await client().listRestoreJobs({ instanceId })).runningRestores.find((j) => j.databaseName === databaseName);
      assert.ok(half.percentComplete >= 45 && half.percentComplete <= 55, `half way: ${half.percentComplete}`);

      await assert.rejects(client().getDatabase({ instanceId, databaseName }), (e) => e.name === 'NotFoundError' && e.status === 404);
      emulator.advanceClock(RESTORE_MS);
      const after = await client().listRestoreJobs({ instanceId });
      assert.equal(after.runningRestores.find((j) => j.databaseName === databaseName), undefined);
      const database = await client().getDatabase({ instanceId, databaseName });
      assert.equal(database.name, databaseName);
      assert.equal(database.owner, 'dbo_owner');
    });

    test('restore from the managed backup and point-in-time restore are accepted', async () => {
      const fromBackup = await client().restoreFromBackup({ instanceId, databaseName: DEFAULT_DROPPED_DATABASE });
      assert.equal(fromBackup.status, 202);
      emulator.advanceClock(RESTORE_MS * 2);
      const name = uniqueDatabase(`pitr_${apiVersion}`);
      const pitr = await client().restorePointInTime({
        instanceId, databaseName: DEFAULT_EXISTING_DATABASE, name, restoreDateTime: new Date(emulator.now() - 36 * 3_600_000),
      });
      assert.equal(pitr.status, 202);
      assert.match(pitr.traceId, /^[0-9a-f]{32}$/);
      const jobs = await client().listRestoreJobs({ instanceId });
      assert.ok(jobs.runningRestores.some((j) => j.databaseName === name));
    });

    test('typed reads: instance, databases, backups, users', async () => {
      const instance = await client().getInstance({ instanceId });
      assert.equal(instance.id, instanceId);
      assert.equal(instance.state, 'READY');
      const databases = await client().listDatabases({ instanceId });
      assert.ok(databases.databases.some((d) => d.name === DEFAULT_EXISTING_DATABASE));
      const backups = await client().listBackups({ instanceId, page: 1, size: 2, sort: 'end_time.desc' });
      assert.equal(backups.pagination.size, 2);
      assert.ok(backups.pagination.totalRows >= 5, JSON.stringify(backups.pagination));
      const first = backups.backups.flatMap((b) => b.backups)[0];
      const backup = await client().getBackup({ instanceId, backupId: first.id });
      assert.deepEqual(backup, first);
      const users = await client().listUsers({ instanceId });
      assert.ok(users.users.some((u) => u.username === 'dbo_owner'), JSON.stringify(users.users));
    });
  });
}

test('a malformed response body is an ApiError naming the problem, with the trace id', async () => {
  emulator.faults.add({ operation: 'ListCurrentRunningRestoreJobs', kind: 'malformed-json', times: 1 });
  const client = new RestoreClient(clientOptions(emulator.url));
  const error = await client.listRestoreJobs({ instanceId: DEFAULT_INSTANCE_ID }).then(() => assert.fail(), (e) => e);
  assert.equal(error.name, 'ApiError');
  assert.equal(error.code, 'MALFORMED_RESPONSE');
  assert.equal(error.status, 200);
  assert.ok(error.traceId);
});
