// Which restore a record belongs to: the same instance and database (SQL Server names compare
// case-insensitively). One rule for importMany's resumption and the CLI's records file.

export const RECORD_KIND = 'sqlserverflex-restore/record';

/** Whether `record` is a restore record of the restore into `target` ({ instanceId, databaseName }). */
export function isRecordOf(record, target) {
  return record?.kind === RECORD_KIND
    && record.target?.instanceId?.toLowerCase() === target.instanceId?.toLowerCase()
    && record.target?.databaseName?.toLowerCase() === target.databaseName?.toLowerCase();
}
