// `--record FILE`: the restore records (no secrets) of an import or a plan, written as they change so
// a later `wait --record FILE` or a re-run of the same plan continues where this run stopped.
// Written to a temporary file beside it and renamed over it: an interrupted write never leaves half
// a file behind.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { RECORD_KIND, isRecordOf } from '../record-target.js';
import { UsageError } from './exit-codes.mjs';

const FILE_KIND = 'sqlserverflex-restore/records';

/** The records in FILE (`[]` when it does not exist yet). */
export function readRecords(path) {
  if (!existsSync(path)) return [];
  let value;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--record ${path} is not a records file (${error.code ?? 'not valid JSON'})`);
  }
  const records = value?.kind === FILE_KIND ? value.records : value?.kind === RECORD_KIND ? [value] : null;
  if (!Array.isArray(records)) throw new UsageError(`--record ${path} is not a records file written by sqlserverflex-restore`);
  return records;
}

/** Replaces FILE with `records`, atomically. */
export function writeRecords(path, records) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ kind: FILE_KIND, records }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

/** `records` with `record` in place of the one for the same target (or added). */
export function withRecord(records, record) {
  return [...records.filter((other) => !isRecordOf(other, record.target)), record];
}

/** Puts `record` into FILE, replacing the one for the same target; nothing without a record. */
export function saveRecord(path, record) {
  if (record) writeRecords(path, withRecord(readRecords(path), record));
}
