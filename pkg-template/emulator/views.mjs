// The emulated world in each API version's response shapes (openapi/*.json, components.schemas).
// v3 and v3alpha1 differ for the instance: v3 has `state` and `labels`, v3alpha1 has `status`.
import { formatRfc3339 } from './clock.mjs';

/** GetInstanceResponse of the given API version ("v3" | "v3alpha1"). */
export function instanceView(instance, version) {
  const view = {
    id: instance.id,
    name: instance.name,
    backupSchedule: instance.backupSchedule,
    edition: instance.edition,
    flavorId: instance.flavorId,
    isDeletable: instance.isDeletable,
    network: instance.network,
    replicas: instance.replicas,
    retentionDays: instance.retentionDays,
    storage: instance.storage,
    version: instance.version,
  };
  if (version === 'v3alpha1') return { ...view, status: instance.state };
  return { ...view, state: instance.state, labels: instance.labels };
}

/** ListBackup / GetBackupResponse. */
export function backupView(backup) {
  return {
    id: backup.id,
    name: backup.name,
    completionTime: formatRfc3339(backup.completionMs),
    retainedUntil: formatRfc3339(backup.retainedUntilMs),
    size: backup.size,
    type: backup.type,
  };
}

/** ListBackupResponse.backups: backups grouped per database (ListBackupsResponse). */
export function groupBackupsByDatabase(backups) {
  const groups = new Map();
  for (const backup of backups) {
    if (!groups.has(backup.databaseName)) groups.set(backup.databaseName, []);
    groups.get(backup.databaseName).push(backupView(backup));
  }
  return [...groups].map(([databaseName, list]) => ({ databaseName, backups: list }));
}

/** ListDatabase. */
export function databaseListItem(db) {
  return { id: db.id, name: db.name, created: formatRfc3339(db.createdMs), owner: db.owner };
}

/** GetDatabaseResponse. */
export function databaseView(db) {
  return { id: db.id, name: db.name, owner: db.owner, collationName: db.collationName, compatibilityLevel: db.compatibilityLevel };
}

/** ListUser. */
export function userListItem(login) {
  return { id: login.id, username: login.username, status: login.status };
}
