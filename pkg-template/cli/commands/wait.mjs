// `wait`: follow a restore that is already running (after `import` without --wait, or a restore
// started elsewhere) until it ends.
import { requireFlags } from '../args.mjs';
import { CONNECTION_FLAGS, CONNECTION_OPTIONS, connectionSettings, createClient, resolveAuth } from '../connection.mjs';
import { followRestore } from '../follow-restore.mjs';
import { interruptOnSigint } from '../interrupt.mjs';
import { progressMode } from '../progress.mjs';
import { OUTPUT_OPTIONS, WAIT_OPTIONS, waitSettings } from './shared-options.mjs';

const TARGET_OPTIONS = {
  instance: { type: 'string', value: 'ID', help: 'SQLServer Flex instance ID (UUID)' },
  database: { type: 'string', value: 'NAME', help: 'the database being restored' },
};

export default {
  name: 'wait',
  summary: 'wait for a running restore to end, with progress',
  options: { ...TARGET_OPTIONS, ...WAIT_OPTIONS, ...CONNECTION_OPTIONS, ...OUTPUT_OPTIONS },
  flagFor: (field) => ({ ...CONNECTION_FLAGS, instanceId: '--instance', databaseName: '--database' })[field] ?? field,
  help: {
    synopsis: 'sqlserverflex-restore wait --instance ID --database NAME [options]',
    description: 'Polls the instance\'s running restores until the restore of NAME ends, then checks the database:\n'
      + 'SUCCEEDED (exit 0), FAILED or TIMEOUT (exit 1). Ctrl-C stops waiting; the restore continues server-side.',
    groups: [['Restore', TARGET_OPTIONS], ['Waiting', WAIT_OPTIONS], ['Connection', CONNECTION_OPTIONS], ['Output', OUTPUT_OPTIONS]],
  },

  async run({ values, out, env, loadPackage, loadCredentials }) {
    requireFlags(values, ['instance', 'database']);
    const settings = connectionSettings(values, env);
    const wait = waitSettings(values);
    const api = await loadPackage();
    const client = createClient(api, settings, await resolveAuth(values, env, loadCredentials));
    const interrupt = interruptOnSigint();
    try {
      out.line(`waiting for the restore of ${values.database} on instance ${values.instance} …`);
      const { result, exitCode } = await followRestore({
        client, instanceId: values.instance, databaseName: values.database, out,
        progressMode: progressMode(values.progress, out.stderr), signal: interrupt.signal, waitOptions: wait,
      });
      out.result({ instanceId: values.instance, ...result });
      return exitCode;
    } finally {
      interrupt.dispose();
    }
  },
};
