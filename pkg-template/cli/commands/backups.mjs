// `backups`: the instance's managed backups (every page), the sources of restores and
// point-in-time restores.
import { CONNECTION_FLAGS, CONNECTION_OPTIONS, connectionSettings, createClient, resolveAuth } from '../connection.mjs';
import { formatBytes } from '../../format.js';
import { formatTable } from '../output.mjs';
import { requireFlags } from '../args.mjs';
import { OUTPUT_OPTIONS } from './shared-options.mjs';

const TARGET_OPTIONS = {
  instance: { type: 'string', value: 'ID', help: 'SQLServer Flex instance ID (UUID)' },
  database: { type: 'string', value: 'NAME', help: 'only the backups of this database' },
};

export default {
  name: 'backups',
  summary: 'list the managed backups of an instance',
  options: { ...TARGET_OPTIONS, ...CONNECTION_OPTIONS, ...OUTPUT_OPTIONS },
  flagFor: (field) => ({ ...CONNECTION_FLAGS, instanceId: '--instance' })[field] ?? field,
  help: {
    synopsis: 'sqlserverflex-restore backups --instance ID [--database NAME] [options]',
    description: 'Lists the managed backups of the instance, newest first, every page.',
    groups: [['Instance', TARGET_OPTIONS], ['Connection', CONNECTION_OPTIONS], ['Output', OUTPUT_OPTIONS]],
  },

  async run({ values, out, env, loadPackage, loadCredentials }) {
    requireFlags(values, ['instance']);
    const settings = connectionSettings(values, env);
    const api = await loadPackage();
    const client = createClient(api, settings, await resolveAuth(values, env, loadCredentials));
    const backups = [];
    for await (const backup of client.allBackups({ instanceId: values.instance, sort: 'end_time.desc' })) {
      if (values.database === undefined || backup.databaseName === values.database) backups.push(backup);
    }
    out.result({ instanceId: values.instance, backups });
    if (backups.length === 0) {
      out.line(`no managed backups${values.database ? ` of ${values.database}` : ''} on instance ${values.instance}`);
      return 0;
    }
    out.line(formatTable(
      ['DATABASE', 'ID', 'COMPLETED', 'TYPE', 'SIZE', 'RETAINED UNTIL', 'NAME'],
      backups.map((b) => [b.databaseName, b.id, b.completionTime, b.type, formatBytes(b.size), b.retainedUntil, b.name]),
    ));
    return 0;
  },
};
