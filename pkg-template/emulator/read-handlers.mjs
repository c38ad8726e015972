// The read operations: instance, backups, databases, users and running restore jobs.
// Each handler gets the request context (routes.mjs) and returns {status, body}.
import { apiError } from './errors.mjs';
import { checkPaging, describeProblems } from './checks.mjs';
import { paginate, sortValues } from './paging.mjs';
import { backupView, databaseListItem, databaseView, groupBackupsByDatabase, instanceView, userListItem } from './views.mjs';

export function getInstance({ instance, params }) {
  return ok(instanceView(instance, params.version));
}

export function listBackups({ instance, query }) {
  return pagedList(query, 'backups', instance.backups, (items, pagination) => ({ backups: groupBackupsByDatabase(items), pagination }));
}

export function getBackup({ instance, params }) {
  // components.parameters.backup: backupId is an int64.
  if (!/^\d{1,18}$/.test(params.backupId)) return apiError(400, `backupId must be an integer, got "${params.backupId}"`);
  const backup = instance.backups.find((b) => b.id === Number(params.backupId));
  if (!backup) return apiError(404, `backup ${params.backupId} not found`);
  return ok(backupView(backup));
}

export function listDatabases({ instance, query }) {
  return pagedList(query, 'databases', instance.databases, (items, pagination) => ({ databases: items.map(databaseListItem), pagination }));
}

export function getDatabase({ instance, params, state }) {
  const db = state.findDatabase(instance, params.databaseName);
  if (!db) return apiError(404, `database ${params.databaseName} not found`);
  return ok(databaseView(db));
}

export function listUsers({ instance, query }) {
  return pagedList(query, 'users', instance.logins, (items, pagination) => ({ users: items.map(userListItem), pagination }));
}

export function listRestoreJobs({ instance, state }) {
  return ok({ runningRestores: state.runningRestoreJobs(instance) });
}

function pagedList(query, list, items, shape) {
  const problems = checkPaging(query, sortValues(list));
  if (problems.length) return apiError(400, describeProblems(problems));
  const { pageItems, pagination } = paginate(items, query, list);
  return ok(shape(pageItems, pagination));
}

function ok(body) {
  return { status: 200, body };
}
