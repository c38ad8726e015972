// `inspect`: what the preflight learns from .bak files — type, database, SQL Server version, stripe k of n,
// compressed, the backup sets in the file, the database files a restore creates — and its findings.
// Local files go through inspectFiles (first and last 64 KiB, each later set's header; nothing sent),
// s3:// objects through the preflight (the same reads as ranged GETs).
import { stat } from 'node:fs/promises';
import { UsageError } from '../exit-codes.mjs';
import { formatTable } from '../output.mjs';
import {
  compressedText, printBackupSets, printDatabaseFiles, printFindings, setsText, stripeText,
} from '../preflight-report.mjs';
import { OUTPUT_OPTIONS } from './shared-options.mjs';

const S3_OPTIONS = {
  'access-key': { type: 'string', value: 'KEY', help: 'S3 access key for s3:// files (default: $S3_ACCESS_KEY or $AWS_ACCESS_KEY_ID)' },
  'secret-key': { type: 'string', value: 'SECRET', help: 'S3 secret key (default: $S3_SECRET_KEY or $AWS_SECRET_ACCESS_KEY)' },
  endpoint: { type: 'string', value: 'URL', help: 'S3 endpoint instead of the address\'s host (e.g. a local S3 server)' },
  region: { type: 'string', value: 'REGION', help: 'S3 signing region (default: from the host; eu01 for STACKIT)' },
};

const SHOW_OPTIONS = {
  files: { type: 'boolean', help: 'list the database files of every backup (default: only when one file is inspected)' },
  database: { type: 'string', value: 'NAME', help: 'the restore target, to note a backup of another database name' },
};

const SEVERITY_RANK = { ok: 0, warning: 1, error: 2 };

/** Local paths must be readable files: a typo is a usage error, not a finding. */
async function checkReadable(path) {
  const info = await stat(path).catch((error) => {
    throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
  });
  if (!info.isFile()) throw new UsageError(`cannot read ${path}: not a file`);
}

/** One row of the result: the header's headline facts, then everything read (for --json). */
function describe(path, file) {
  const header = file.header ?? null;
  return {
    path,
    size: file.size ?? null,
    // A file that could not be read (S3: missing, denied, failed) has no header: its status stands in.
    kind: header?.kind ?? file.status.toUpperCase(),
    compressed: header ? header.compressed : null,
    backupType: header?.backupType ?? null,
    databaseName: header?.databaseName ?? null,
    sqlServerVersion: header?.sqlServerVersion ?? null,
    databaseVersion: header?.databaseVersion ?? null,
    stripe: header?.familyCount ? stripeText(header) : null,
    backupDate: header?.backupDate ?? null,
    backupSets: file.backupSets ?? [],
    restoreSize: file.restoreSize ?? null,
    header,
    tail: file.tail ?? null,
  };
}

export default {
  name: 'inspect',
  summary: 'show what the preflight reads from .bak files, local or in S3 (sets, database files, findings)',
  positionals: 64,
  options: { ...SHOW_OPTIONS, ...S3_OPTIONS, ...OUTPUT_OPTIONS },
  help: {
    synopsis: 'sqlserverflex-restore inspect FILE|S3-URI… [options]',
    description: 'Reads each backup as the preflight does — the first and the last 64 KiB, and 64 KiB at each later\n'
      + 'backup set — and shows its kind, type (full, differential, log), database, SQL Server version,\n'
      + 'stripe k of n, whether it is compressed (SQL Server restores compressed backups; encrypted ones are\n'
      + 'refused), how many backup sets it holds and its size. Then, for each file holding several sets\n'
      + '(BACKUP … WITH NOINIT), the sets (an import restores set 1, the oldest); the database files a restore\n'
      + 'creates, with their sizes (when one file is inspected, or with --files); and the findings, the files\n'
      + 'judged as one restore. Local files are read from disk, nothing is sent; s3:// files with signed ranged GETs.\n'
      + 'Exit codes: 0 every file is a readable SQL Server backup (plain or compressed), 1 one is not (encrypted,\n'
      + 'unreadable, not a backup, missing), 2 usage.',
    groups: [['Show', SHOW_OPTIONS], ['S3', S3_OPTIONS], ['Output', OUTPUT_OPTIONS]],
  },

  async run({ values, positionals, out, env, loadPackage }) {
    if (positionals.length === 0) throw new UsageError('give at least one .bak file or s3:// URI');
    const remote = positionals.filter((p) => /^(s3|https?):\/\//i.test(p));
    const local = positionals.filter((p) => !remote.includes(p));
    for (const path of local) await checkReadable(path);
    const api = await loadPackage();
    const databaseName = values.database;
    const rows = [];
    const reports = [];
    if (local.length > 0) {
      const report = await api.inspectFiles(local, { databaseName });
      // The report names files by their base name, in the order given.
      report.files.forEach((file, i) => rows.push(describe(local[i], file)));
      reports.push(report);
    }
    if (remote.length > 0) {
      const accessKey = values['access-key'] ?? env.S3_ACCESS_KEY ?? env.AWS_ACCESS_KEY_ID;
      const secretKey = values['secret-key'] ?? env.S3_SECRET_KEY ?? env.AWS_SECRET_ACCESS_KEY;
      if (!accessKey || !secretKey) throw new UsageError('s3:// files need --access-key/--secret-key or S3_ACCESS_KEY/S3_SECRET_KEY');
      const bucket = remote[0].replace(/[^/]*$/, '');
      const { report } = await api.preflight({
        s3: { bucket, accessKey, secretKey, endpoint: values.endpoint, region: values.region, files: remote.map((path) => ({ path })) },
        ...(databaseName ? { databaseName } : {}),
      });
      for (const file of report.files) rows.push(describe(file.path, file));
      reports.push(report);
    }
    const findings = reports.flatMap((r) => r.findings);
    const verdict = reports.map((r) => r.verdict).reduce((a, b) => (SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a), 'ok');
    out.result({ verdict, findings, files: rows });

    out.line(formatTable(
      ['FILE', 'KIND', 'TYPE', 'DATABASE', 'SQL SERVER', 'STRIPE', 'COMPRESSED', 'SETS', 'SIZE'],
      rows.map((r) => [r.path, r.kind, r.backupType ?? '-', r.databaseName ?? '-', r.sqlServerVersion ?? '-', r.stripe ?? '-',
        compressedText(r.header), setsText(r), r.size ?? '-']),
    ));
    printBackupSets(out, rows);
    if (values.files || rows.length === 1) {
      for (const row of rows.filter((r) => r.header?.kind === 'MTF')) printDatabaseFiles(out, row);
    }
    out.line(`verdict: ${verdict.toUpperCase()} (the files judged as one restore)`);
    printFindings(out, findings);
    return rows.every((r) => r.kind === 'MTF') ? 0 : 1;
  },
};
