// `inspect`: the header facts of .bak files (type, database, SQL Server version, stripe k of n, size),
// local files read from disk (first 64 KiB), s3:// objects through the preflight (one ranged GET each).
import { open } from 'node:fs/promises';
import { UsageError } from '../exit-codes.mjs';
import { formatTable } from '../output.mjs';
import { OUTPUT_OPTIONS } from './shared-options.mjs';

const HEADER_BYTES = 65_536;

const S3_OPTIONS = {
  'access-key': { type: 'string', value: 'KEY', help: 'S3 access key for s3:// files (default: $S3_ACCESS_KEY or $AWS_ACCESS_KEY_ID)' },
  'secret-key': { type: 'string', value: 'SECRET', help: 'S3 secret key (default: $S3_SECRET_KEY or $AWS_SECRET_ACCESS_KEY)' },
  endpoint: { type: 'string', value: 'URL', help: 'S3 endpoint instead of the address\'s host (e.g. a local S3 server)' },
  region: { type: 'string', value: 'REGION', help: 'S3 signing region (default: from the host; eu01 for STACKIT)' },
};

async function readHead(path) {
  const file = await open(path, 'r').catch((error) => {
    throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
  });
  try {
    const { size } = await file.stat();
    const buffer = Buffer.alloc(Math.min(HEADER_BYTES, size));
    await file.read(buffer, 0, buffer.length, 0);
    return { size, bytes: buffer };
  } finally {
    await file.close();
  }
}

function describe(path, size, header) {
  return {
    path, size, kind: header.kind, backupType: header.backupType ?? null, databaseName: header.databaseName ?? null,
    sqlServerVersion: header.sqlServerVersion ?? null, databaseVersion: header.databaseVersion ?? null,
    stripe: header.familyCount ? `${header.familySequence ?? '?'} of ${header.familyCount}` : null,
    backupDate: header.backupDate ?? null, header,
  };
}

export default {
  name: 'inspect',
  summary: 'show the header of .bak files, local or in S3',
  positionals: 64,
  options: { ...S3_OPTIONS, ...OUTPUT_OPTIONS },
  help: {
    synopsis: 'sqlserverflex-restore inspect FILE|S3-URI… [options]',
    description: 'Reads the first 64 KiB of each backup and shows its type (full, differential, log),\n'
      + 'database, SQL Server version, stripe k of n and size. s3:// files are read with one signed ranged GET each.',
    groups: [['S3', S3_OPTIONS], ['Output', OUTPUT_OPTIONS]],
  },

  async run({ values, positionals, out, env, loadPackage }) {
    if (positionals.length === 0) throw new UsageError('give at least one .bak file or s3:// URI');
    const api = await loadPackage();
    const rows = [];
    const remote = positionals.filter((p) => /^(s3|https?):\/\//i.test(p));
    for (const path of positionals.filter((p) => !remote.includes(p))) {
      const { size, bytes } = await readHead(path);
      rows.push(describe(path, size, api.inspect(bytes)));
    }
    if (remote.length > 0) {
      const accessKey = values['access-key'] ?? env.S3_ACCESS_KEY ?? env.AWS_ACCESS_KEY_ID;
      const secretKey = values['secret-key'] ?? env.S3_SECRET_KEY ?? env.AWS_SECRET_ACCESS_KEY;
      if (!accessKey || !secretKey) throw new UsageError('s3:// files need --access-key/--secret-key or S3_ACCESS_KEY/S3_SECRET_KEY');
      const bucket = remote[0].replace(/[^/]*$/, '');
      const { report } = await api.preflight({
        s3: { bucket, accessKey, secretKey, endpoint: values.endpoint, region: values.region, files: remote.map((path) => ({ path })) },
      });
      for (const file of report.files) {
        if (file.header) rows.push(describe(file.path, file.size ?? null, file.header));
        else rows.push({ path: file.path, size: null, kind: file.status.toUpperCase(), header: null });
      }
    }
    out.result({ files: rows });
    out.line(formatTable(
      ['FILE', 'KIND', 'TYPE', 'DATABASE', 'SQL SERVER', 'STRIPE', 'SIZE'],
      rows.map((r) => [r.path, r.kind, r.backupType ?? '-', r.databaseName ?? '-', r.sqlServerVersion ?? '-', r.stripe ?? '-', r.size ?? '-']),
    ));
    return rows.every((r) => r.kind === 'MTF') ? 0 : 1;
  },
};
