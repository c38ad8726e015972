// The combined preflight report (backup files in S3 + the instance checks) as text: a table of the
// files, the backup sets of files holding several, the findings worst first, and what each instance
// check found. `inspect` and `upload` print the same parts.
import { formatBytes } from '../format.js';
import { formatTable } from './output.mjs';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

/** `2 of 3`, or `-` when the header names no stripe set. */
export function stripeText(header) {
  return header?.familyCount ? `${header.familySequence ?? '?'} of ${header.familyCount}` : '-';
}

/** yes/no for a readable backup; `-` when there is nothing to tell (not read, not a backup, encrypted). */
export function compressedText(header) {
  return header?.kind === 'MTF' ? (header.compressed ? 'yes' : 'no') : '-';
}

/** How many backup sets the file holds (from its tail), or `-` when that is unknown. */
export function setsText(file) {
  return file?.backupSets?.length ? String(file.backupSets.length) : '-';
}

/** The findings, errors first: `error   LOG_BACKUP: …`. */
export function printFindings(out, findings) {
  const sorted = [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  for (const f of sorted) out.line(`${f.severity.padEnd(7)} ${f.code}: ${f.message}`);
}

/** For each file holding several backup sets (WITH NOINIT): which set is which, and which one an import restores. */
export function printBackupSets(out, files) {
  for (const file of files) {
    const sets = file.backupSets ?? [];
    if (sets.length < 2) continue;
    out.line(`${file.path} holds ${sets.length} backup sets; an import restores set 1:`);
    out.line(indent(formatTable(
      ['POSITION', 'TYPE', 'DATABASE', 'DATE', 'NOTE'],
      sets.map((s) => [s.position, s.backupType ?? '-', s.databaseName ?? '-', s.backupDate ?? '-',
        s.error ?? (s.position === 1 ? 'restored by an import' : '')]),
    )));
  }
}

/** The database files a restore creates (like RESTORE FILELISTONLY), with their total (the report's
 * `restoreSize`, when every size is known). */
export function printDatabaseFiles(out, { path, header, restoreSize }) {
  const files = header?.files ?? [];
  if (files.length === 0) {
    out.line(`${path}: the header lists no database files`);
    return;
  }
  const total = Number.isFinite(restoreSize) ? `a restore allocates ${formatBytes(restoreSize)}` : 'some sizes unknown';
  out.line(`database files of ${path} (${total}):`);
  out.line(indent(formatTable(
    ['LOGICAL NAME', 'TYPE', 'SIZE', 'PHYSICAL NAME'],
    files.map((f) => [f.logicalName ?? '-', f.fileType, Number.isFinite(f.size) ? formatBytes(f.size) : '?', f.physicalName ?? '-']),
  )));
}

function indent(text) {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}

/** @param {import('./output.mjs').Output} out  @param {{ report, discovery?, instance?, checks? }} outcome */
export function printPreflight(out, { report, discovery, instance, checks }) {
  if (discovery) {
    out.line(`discovered ${discovery.sets.length} backup set(s); ${discovery.proposal ? `proposing the newest complete full backup (${discovery.proposal.length} file(s))` : 'none is a complete full backup'}`);
  }
  if (!report) return;
  const restore = Number.isFinite(report.restoreSize) ? `, a restore allocates ${formatBytes(report.restoreSize)}` : '';
  const facts = instance
    ? `; instance ${instance.name}: ${instance.state}, SQL Server ${instance.version ?? '?'}, ${instance.storageSizeGb ?? '?'} GB`
    : '';
  out.line(`preflight: ${report.verdict.toUpperCase()} (${report.files.length} file(s), ${formatBytes(report.totalSize)}${restore}${facts})`);
  if (report.files.length > 0) {
    out.line(formatTable(
      ['FILE', 'STATUS', 'TYPE', 'DATABASE', 'SQL SERVER', 'STRIPE', 'COMPRESSED', 'SETS', 'SIZE'],
      report.files.map((f) => [
        f.path, f.status, f.header?.backupType ?? '-', f.header?.databaseName ?? '-', f.header?.sqlServerVersion ?? '-',
        stripeText(f.header), compressedText(f.header), setsText(f), f.size ?? '-',
      ]),
    ));
    printBackupSets(out, report.files);
  }
  printFindings(out, report.findings);
  if (checks) out.line(`instance checks: ${checks.map((c) => `${c.check} ${c.status}`).join(', ')}`);
}
