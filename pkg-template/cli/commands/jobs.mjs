// `jobs`: the restores running on an instance now.
import { CONNECTION_FLAGS, CONNECTION_OPTIONS, connectionSettings, createClient, resolveAuth } from '../connection.mjs';
import { formatTable } from '../output.mjs';
import { requireFlags } from '../args.mjs';
import { OUTPUT_OPTIONS } from './shared-options.mjs';

const TARGET_OPTIONS = {
  instance: { type: 'string', value: 'ID', help: 'SQLServer Flex instance ID (UUID)' },
};

export default {
  name: 'jobs',
  summary: 'list the restores running on an instance',
  options: { ...TARGET_OPTIONS, ...CONNECTION_OPTIONS, ...OUTPUT_OPTIONS },
  flagFor: (field) => ({ ...CONNECTION_FLAGS, instanceId: '--instance' })[field] ?? field,
  help: {
    synopsis: 'sqlserverflex-restore jobs --instance ID [options]',
    description: 'Lists the restores running on the instance (database, percent, start and estimated end, UTC).',
    groups: [['Instance', TARGET_OPTIONS], ['Connection', CONNECTION_OPTIONS], ['Output', OUTPUT_OPTIONS]],
  },

  async run({ values, out, env, loadPackage, loadCredentials }) {
    requireFlags(values, ['instance']);
    const settings = connectionSettings(values, env);
    const api = await loadPackage();
    const client = createClient(api, settings, await resolveAuth(values, env, loadCredentials));
    const { runningRestores } = await client.listRestoreJobs({ instanceId: values.instance });
    out.result({ instanceId: values.instance, runningRestores });
    if (runningRestores.length === 0) {
      out.line(`no restore is running on instance ${values.instance}`);
      return 0;
    }
    out.line(formatTable(
      ['DATABASE', 'PERCENT', 'STARTED (UTC)', 'ESTIMATED END (UTC)', 'COMMAND'],
      runningRestores.map((r) => [r.databaseName, `${r.percentComplete} %`, r.startTime, r.estimatedCompletionTime, r.command]),
    ));
    return 0;
  },
};
