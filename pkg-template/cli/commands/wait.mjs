// `wait`: follow a restore that is already running (after `import` without --wait, or a restore
// started elsewhere) until it ends.
import { requireFlags } from '../args.mjs';
import { UsageError } from '../exit-codes.mjs';
import { readRecords, saveRecord } from '../record-file.mjs';
import { CONNECTION_FLAGS, CONNECTION_OPTIONS, connectionSettings, createClient, resolveAuth } from '../connection.mjs';
import { followRestore } from '../follow-restore.mjs';
import { interruptOnSigint } from '../interrupt.mjs';
import { progressMode } from '../progress.mjs';
import { OUTPUT_OPTIONS, WAIT_OPTIONS, waitSettings } from './shared-options.mjs';

const TARGET_OPTIONS = {
  instance: { type: 'string', value: 'ID', help: 'SQLServer Flex instance ID (UUID)' },
  database: { type: 'string', value: 'NAME', help: 'the database being restored' },
  record: { type: 'string', value: 'FILE', help: 'continue from the restore record `import --record FILE` wrote (its instance and database; --database picks one of several), and keep it up to date' },
};

export default {
  name: 'wait',
  summary: 'wait for a running restore to end, with progress',
  options: { ...TARGET_OPTIONS, ...WAIT_OPTIONS, ...CONNECTION_OPTIONS, ...OUTPUT_OPTIONS },
  flagFor: (field) => ({ ...CONNECTION_FLAGS, instanceId: '--instance', databaseName: '--database' })[field] ?? field,
  help: {
    synopsis: 'sqlserverflex-restore wait --instance ID --database NAME [options]\n       sqlserverflex-restore wait --record FILE [--database NAME] [options]',
    description: 'Polls the instance\'s running restores until the restore of NAME ends, then checks the database:\n'
      + 'SUCCEEDED (exit 0), FAILED or TIMEOUT (exit 1). Ctrl-C stops waiting; the restore continues server-side.',
    groups: [['Restore', TARGET_OPTIONS], ['Waiting', WAIT_OPTIONS], ['Connection', CONNECTION_OPTIONS], ['Output', OUTPUT_OPTIONS]],
  },

  async run({ values: flags, out, env, loadPackage, loadCredentials }) {
    const record = flags.record === undefined ? null : recordToFollow(flags);
    const values = record ? { ...flags, instance: record.target.instanceId, database: record.target.databaseName } : flags;
    requireFlags(values, ['instance', 'database']);
    const settings = connectionSettings(values, env);
    const wait = { ...waitSettings(values), ...(record ? { resume: record } : {}) };
    const api = await loadPackage();
    const client = createClient(api, settings, await resolveAuth(values, env, loadCredentials));
    const interrupt = interruptOnSigint();
    try {
      out.line(`waiting for the restore of ${values.database} on instance ${values.instance} …`);
      const { result, exitCode } = await followRestore({
        client, instanceId: values.instance, databaseName: values.database, out,
        progressMode: progressMode(values.progress, out.stderr), signal: interrupt.signal, waitOptions: wait,
      });
      if (record) saveRecord(flags.record, result.record);
      out.result({ instanceId: values.instance, ...result });
      return exitCode;
    } finally {
      interrupt.dispose();
    }
  },
};

/** The record in --record FILE to follow: the only one, or the one of --database. */
function recordToFollow(values) {
  if (values.instance !== undefined) throw new UsageError('--record names the instance: give --record or --instance, not both');
  const records = readRecords(values.record);
  const candidates = values.database === undefined
    ? records
    : records.filter((record) => record.target.databaseName.toLowerCase() === values.database.toLowerCase());
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw new UsageError(values.database === undefined ? `--record ${values.record} holds no restore record` : `--record ${values.record} holds no record of ${values.database}`);
  }
  throw new UsageError(`--record ${values.record} holds ${candidates.length} records: pick one with --database (${candidates.map((r) => r.target.databaseName).join(', ')})`);
}
