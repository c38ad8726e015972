// Every RestoreClient operation that talks to the API, as data for the table-driven sweeps: its name in
// the emulator (for faults and the request recording), whether it triggers a restore, and a call
// against the emulator's default world. `ctx`: { backupId, s3Secret }.
import { DEFAULT_DROPPED_DATABASE, DEFAULT_EXISTING_DATABASE, DEFAULT_INSTANCE_ID, DEFAULT_OWNER_LOGIN } from 'sqlserverflex-restore/emulator';

const instanceId = DEFAULT_INSTANCE_ID;
const BUCKET = 's3://object.storage.eu01.onstackit.cloud/sweep/';

export const importInput = (s3Secret = 'SK', databaseName = 'sweep_import') => ({
  instanceId, databaseName, databaseOwner: DEFAULT_OWNER_LOGIN,
  s3: { bucket: BUCKET, accessKey: 'AK', secretKey: s3Secret, files: [{ path: `${BUCKET}db.bak` }] },
});

const collect = async (iterable) => {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
};

export const OPERATIONS = [
  { name: 'importFromS3', emulated: 'RestoreDatabaseFromBackup', trigger: true, call: (c, o, ctx) => c.importFromS3(importInput(ctx.s3Secret), o) },
  { name: 'restoreFromBackup', emulated: 'RestoreDatabaseFromBackup', trigger: true, call: (c, o) => c.restoreFromBackup({ instanceId, databaseName: DEFAULT_DROPPED_DATABASE }, o) },
  { name: 'restorePointInTime', emulated: 'TriggerRestore', trigger: true, call: (c, o) => c.restorePointInTime({
    instanceId, databaseName: DEFAULT_EXISTING_DATABASE, name: 'sweep_pitr', restoreDateTime: new Date(Date.now() - 36 * 3_600_000) }, o) },
  { name: 'listRestoreJobs', emulated: 'ListCurrentRunningRestoreJobs', call: (c, o) => c.listRestoreJobs({ instanceId }, o) },
  { name: 'listBackups', emulated: 'ListBackups', call: (c, o) => c.listBackups({ instanceId }, o) },
  { name: 'getBackup', emulated: 'GetBackup', call: (c, o, ctx) => c.getBackup({ instanceId, backupId: ctx.backupId }, o) },
  { name: 'listDatabases', emulated: 'ListDatabases', call: (c, o) => c.listDatabases({ instanceId }, o) },
  { name: 'getDatabase', emulated: 'GetDatabase', call: (c, o) => c.getDatabase({ instanceId, databaseName: DEFAULT_EXISTING_DATABASE }, o) },
  { name: 'getInstance', emulated: 'GetInstance', call: (c, o) => c.getInstance({ instanceId }, o) },
  { name: 'listUsers', emulated: 'ListUsers', call: (c, o) => c.listUsers({ instanceId }, o) },
];

/** Operations only the secret sweep needs (the fault sweep covers their requests through the ones above). */
export const MORE_OPERATIONS = [
  { name: 'allBackups', emulated: 'ListBackups', call: (c, o) => collect(c.allBackups({ instanceId }, o)) },
  { name: 'waitForRestore', emulated: 'ListCurrentRunningRestoreJobs', call: (c, o) => c.waitForRestore(
    { instanceId, databaseName: DEFAULT_EXISTING_DATABASE }, { ...o, minDelayMs: 10, maxDelayMs: 20 }) },
];
