// `inspect`: the header of .bak files (type, database, SQL Server version, stripe k of n, size),
// local or in S3. Named now so scripts and help know it; it arrives with the preflight feature.
import { NotAvailableError } from '../not-available.mjs';
import { OUTPUT_OPTIONS } from './shared-options.mjs';

export default {
  name: 'inspect',
  summary: 'show the header of .bak files, local or in S3 (not available in this version yet)',
  // Any arguments: the message about the missing feature beats one about flags it will have.
  anyArguments: true,
  options: OUTPUT_OPTIONS,
  help: {
    synopsis: 'sqlserverflex-restore inspect FILE|S3-URI… [options]',
    description: 'Reads the first bytes of each backup file and shows its type (full, differential, log),\n'
      + 'database, SQL Server version, stripe k of n and size, and whether the set can be restored.\n\n'
      + 'Not available in this version yet: it comes with the S3 preflight.',
    groups: [['Output', OUTPUT_OPTIONS]],
  },
  async run() {
    throw new NotAvailableError('inspect');
  },
};
