// The two operations that start a restore:
//   POST …/instances/{instanceId}/restores          (RestoreDatabaseFromBackup: S3 import or managed backup)
//   POST …/backups/databases/{databaseName}/restores (TriggerRestore: point-in-time into a new database)
// Both answer 202 with an empty body; the restore then runs asynchronously (state.mjs).
//
// Status choices where the spec is silent:
// - /restores declares only 400 for client errors, so every payload problem is a 400 Error body.
// - TriggerRestore declares 422 ValidationError: payload field problems use it.
// - "target database already exists / is being restored" and "instance not READY" answer
//   409 with an Error body: neither operation declares 409, but the API uses 409 "Conflict with the
//   given resource" elsewhere (v3alpha1 createUserRequest), it is the HTTP meaning, and
//   stackit-api.md tells clients to handle undeclared statuses generically.
import { apiError, validationError } from './errors.mjs';
import { checkPointInTimePayload, checkRestorePayload, describeProblems, parseJsonBody, rfc3339Ms } from './checks.mjs';

export function restoreDatabaseFromBackup({ instance, rawBody, state, traceId, takeRestoreFailure }) {
  const parsed = parseJsonBody(rawBody);
  if (!parsed.ok) return apiError(400, parsed.message);
  const problems = checkRestorePayload(parsed.value);
  if (problems.length) return apiError(400, `invalid restore request: ${describeProblems(problems)}`);
  const { database_name: databaseName, source } = parsed.value;

  const conflict = conflictFor(state, instance, databaseName);
  if (conflict) return conflict;

  if (source.type === 'BACKUP') {
    // Restores `database_name` from its newest managed backup (it must not exist any more).
    const backups = state.backupsOf(instance, databaseName);
    if (backups.length === 0) return apiError(400, `no managed backup of database ${databaseName} exists on this instance`);
    const newest = backups.reduce((a, b) => (b.completionMs > a.completionMs ? b : a));
    state.startRestore(instance, { databaseName, owner: newest.owner, sourceType: 'BACKUP', sourceDatabase: newest.databaseName, traceId, failure: takeRestoreFailure() });
    return accepted();
  }

  // stackit-api.md: the owner must be an existing login on the instance.
  const owner = state.findLogin(instance, source.database_owner);
  if (!owner) return apiError(400, `database_owner ${source.database_owner} is not a login on this instance`);
  const details = source.s3_details;
  state.startRestore(instance, {
    databaseName,
    owner: owner.username,
    sourceType: 'EXTERNAL_S3',
    files: [...details.s3_files].sort((a, b) => a.file_number - b.file_number),
    s3: { s3_bucket: details.s3_bucket, s3_access_key: details.s3_access_key, s3_access_secret: details.s3_access_secret },
    traceId,
    failure: takeRestoreFailure(),
  });
  return accepted();
}

export function triggerPointInTimeRestore({ instance, params, rawBody, state, clock, traceId, takeRestoreFailure }) {
  const parsed = parseJsonBody(rawBody);
  if (!parsed.ok) return apiError(400, parsed.message);
  const problems = checkPointInTimePayload(parsed.value);
  if (problems.length) return validationError(problems);
  const { name, restoreDateTime } = parsed.value;

  const source = state.findDatabase(instance, params.databaseName);
  if (!source) return apiError(404, `database ${params.databaseName} not found`);
  // backup.restoreTime: "calculated between first backup and last backup" — here: first backup .. now.
  const backups = state.backupsOf(instance, source.name);
  if (backups.length === 0) return validationError([{ field: 'restoreDateTime', message: `database ${source.name} has no backup to restore from` }]);
  const firstBackupMs = Math.min(...backups.map((b) => b.completionMs));
  const atMs = rfc3339Ms(restoreDateTime);
  if (atMs < firstBackupMs || atMs > clock.now()) {
    return validationError([{ field: 'restoreDateTime', message: `must be between the first backup (${new Date(firstBackupMs).toISOString()}) and now` }]);
  }

  const conflict = conflictFor(state, instance, name);
  if (conflict) return conflict;
  state.startRestore(instance, { databaseName: name, owner: source.owner, sourceType: 'POINT_IN_TIME', sourceDatabase: source.name, restoreDateTime, traceId, failure: takeRestoreFailure() });
  return accepted();
}

function conflictFor(state, instance, databaseName) {
  if (instance.state !== 'READY') return apiError(409, `instance ${instance.id} is not READY (state ${instance.state})`);
  // stackit-api.md: the target database must not exist yet (SQL Server names compare case-insensitively).
  if (state.findDatabase(instance, databaseName)) return apiError(409, `database ${databaseName} already exists`);
  if (state.findRunningRestore(instance, databaseName)) return apiError(409, `database ${databaseName} is already being restored`);
  if (state.runningRestoreCount(instance) >= state.maxParallelRestores) {
    return apiError(409, `instance ${instance.id} is already running ${state.maxParallelRestores} restore(s); try again when one has ended`);
  }
  return null;
}

function accepted() {
  return { status: 202, body: undefined };
}
