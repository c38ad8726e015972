// A backup report as the console shows it — the preflight's over S3 and the upload panel's over
// local files (`inspectFiles`) are the same report: per file its type, database, version, stripe,
// whether it is compressed and how many backup sets it holds; the database files the restore
// creates with their sizes and the restore size against the backup's; for a file with several
// backup sets, which one an import restores and which is the newest; the verdict and findings.
// Everything goes in as text (dom.js); the report carries no secrets.
import { h, replaceChildren, show } from './dom.js';
import { formatBytes } from './format.js';

const FILE_COLUMNS = ['File', 'Type', 'Database', 'SQL Server', 'Stripe', 'Compressed', 'Sets', 'Size'];
// A soft hyphen lets the widest heading take two lines in a half-width card (screen readers skip it).
const HEADING_TEXT = { Compressed: 'Com\u00adpressed' };

const STATUS_TEXT = { missing: 'missing', access_denied: 'access denied', failed: 'not readable' };

export class BackupReportView {
  #prefix;
  #verdictTexts;

  /**
   * @param {string} prefix ids: `${prefix}-table`, `-facts`, `-verdict`, `-verdict-text`, `-restore-size`
   * @param {{ label: string, verdicts: { ok: string, warning: string, error: string } }} options
   *   `label` names the file table for assistive technology
   */
  constructor(prefix, { label, verdicts }) {
    this.#prefix = prefix;
    this.#verdictTexts = verdicts;
    this.table = h('table', { id: `${prefix}-table`, class: 'report-files' },
      h('caption', { class: 'visually-hidden' }, label),
      h('thead', {}, h('tr', {}, FILE_COLUMNS.map((c) => h('th', { scope: 'col' }, HEADING_TEXT[c] ?? c)))),
      h('tbody'));
    this.tableBox = h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': label, hidden: true }, this.table);
    this.facts = h('div', { id: `${prefix}-facts`, class: 'backup-facts', hidden: true });
    this.verdict = h('div', { id: `${prefix}-verdict`, hidden: true, tabindex: '-1' });
  }

  /** The elements to place in the panel, in reading order. */
  elements() {
    return [this.tableBox, this.facts, this.verdict];
  }

  hide() {
    show(this.tableBox, false);
    show(this.facts, false);
    show(this.verdict, false);
  }

  /** Only a verdict line (e.g. "No backup files under this address"), no table. */
  message(text, severity) {
    show(this.tableBox, false);
    show(this.facts, false);
    replaceChildren(this.verdict, h('p', { class: `verdict verdict-${severity}` }, text));
    show(this.verdict, true);
  }

  show(report) {
    replaceChildren(this.table.querySelector('tbody'), report.files.map((file) => fileRow(file)));
    show(this.tableBox, true);
    const facts = [restoreSize(report, this.#prefix), ...databaseFiles(report), ...report.files.map((file) => backupSets(file))]
      .filter(Boolean);
    replaceChildren(this.facts, facts);
    show(this.facts, facts.length > 0);
    const findings = report.findings.map((finding) => h('li', { class: `finding finding-${finding.severity}` },
      h('strong', {}, `${finding.severity}: `), h('code', {}, finding.code), ` ${finding.message}`));
    replaceChildren(this.verdict,
      h('p', { class: `verdict verdict-${report.verdict}`, id: `${this.#prefix}-verdict-text` }, this.#verdictTexts[report.verdict] ?? report.verdict),
      findings.length > 0 ? h('ul', { class: 'findings', 'aria-label': 'Findings' }, findings) : null);
    show(this.verdict, true);
  }
}

/** "2024-01-01 22:00:00": the server's local time as the header has it (no time zone is known). */
function formatBackupDate(date) {
  return date ? date.replace('T', ' ') : '–';
}

const lower = (text) => text.toLowerCase().replaceAll('_', ' ');

function fileName(path) {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

function fileRow(file) {
  const header = file.header;
  const mtf = header?.kind === 'MTF';
  const type = header ? (mtf ? lower(header.backupType ?? 'unknown') : lower(header.kind)) : STATUS_TEXT[file.status] ?? file.status;
  const stripe = header?.familyCount ? `${header.familySequence ?? '?'} of ${header.familyCount}` : '–';
  return h('tr', {},
    h('th', { scope: 'row', title: file.path }, fileName(file.path)),
    h('td', {}, type),
    h('td', {}, header?.databaseName ?? '–'),
    h('td', {}, header?.sqlServerVersion ?? '–'),
    h('td', {}, stripe),
    h('td', {}, mtf ? (header.compressed ? 'yes' : 'no') : '–'),
    h('td', {}, file.backupSets?.length ? String(file.backupSets.length) : '–'),
    h('td', {}, file.size === undefined || file.size === null ? '–' : formatBytes(file.size)));
}

/** "The restore creates 16.0 MiB of database files; the backup is 421.0 KiB." */
function restoreSize(report, prefix) {
  const known = report.files.some((file) => file.header?.files?.length > 0);
  if (!known) return null;
  const backup = report.totalSize === undefined || report.totalSize === null ? null : formatBytes(report.totalSize);
  const text = report.restoreSize === undefined || report.restoreSize === null
    ? `The header lists the database files but not their sizes: the restore needs at least the backup's size${backup ? `, ${backup}` : ''}.`
    : `The restore creates ${formatBytes(report.restoreSize)} of database files; the backup is ${backup ?? 'of unknown size'}.`;
  return h('p', { id: `${prefix}-restore-size`, class: 'restore-size' }, text);
}

/** One table per backup set (stripes of one set list the same files): logical name, type, size. */
function databaseFiles(report) {
  const groups = new Map();
  for (const file of report.files) {
    const header = file.header;
    if (!header?.files?.length) continue;
    const key = header.backupSetGuid ?? file.path;
    if (!groups.has(key)) groups.set(key, { header, paths: [] });
    groups.get(key).paths.push(file.path);
  }
  return [...groups.values()].map(({ header, paths }) => {
    const from = groups.size > 1 ? ` (${paths.map(fileName).join(', ')})` : '';
    const caption = `Database files the restore creates${header.databaseName ? ` for ${header.databaseName}` : ''}${from}`;
    return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
      h('table', { class: 'db-files' },
        h('caption', {}, caption),
        h('thead', {}, h('tr', {}, ['Logical name', 'Type', 'Size'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, header.files.map((dbFile) => h('tr', {},
          h('th', { scope: 'row', title: dbFile.physicalName ?? null }, dbFile.logicalName ?? `file ${dbFile.fileId ?? '?'}`),
          h('td', {}, dbFile.fileType),
          h('td', {}, dbFile.size === undefined || dbFile.size === null ? '–' : formatBytes(dbFile.size)))))));
  });
}

/** The set an import restores is position 1; the newest is the latest date (then the highest position). */
function newestSet(sets) {
  return sets.reduce((newest, set) => {
    if (set.error || !set.backupDate) return newest;
    if (!newest || set.backupDate > newest.backupDate || (set.backupDate === newest.backupDate && set.position > newest.position)) return set;
    return newest;
  }, null);
}

function describeSet(set) {
  return `set ${set.position} (${lower(set.backupType ?? 'unknown')}, ${formatBackupDate(set.backupDate)})`;
}

/** For a file with several backup sets: which one the import restores, the newest, and all of them. */
function backupSets(file) {
  const sets = file.backupSets ?? [];
  if (sets.length < 2) return null;
  const restored = sets.find((set) => set.position === 1);
  const newest = newestSet(sets);
  const parts = [`${fileName(file.path)} holds ${sets.length} backup sets`];
  if (restored) parts.push(`the import restores ${describeSet(restored)}`);
  if (newest && newest !== restored) parts.push(`the newest is ${describeSet(newest)}`);
  return h('details', { class: 'backup-sets' },
    h('summary', {}, `${parts.join('; ')}.`),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `Backup sets in ${fileName(file.path)}` },
      h('table', { class: 'sets' },
        h('caption', { class: 'visually-hidden' }, `Backup sets in ${fileName(file.path)}`),
        h('thead', {}, h('tr', {}, ['Set', 'Type', 'Date', 'Note'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, sets.map((set) => {
          const notes = [set.position === 1 ? 'restored by the import' : null, set === newest ? 'newest' : null, set.error ?? null].filter(Boolean);
          return h('tr', { class: set.position === 1 ? 'set-restored' : null },
            h('th', { scope: 'row' }, String(set.position)),
            h('td', {}, set.error ? 'unreadable' : lower(set.backupType ?? 'unknown')),
            h('td', { class: 'time' }, formatBackupDate(set.backupDate)),
            h('td', { class: 'note' }, notes.join('; ') || '–'));
        })))));
}
