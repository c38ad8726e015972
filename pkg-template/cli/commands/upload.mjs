// `upload`: a local .bak to the bucket in parts (multipart upload), optionally importing it next.
// Named now so scripts and help know it; it arrives with the upload feature.
import { NotAvailableError } from '../not-available.mjs';
import { OUTPUT_OPTIONS } from './shared-options.mjs';

export default {
  name: 'upload',
  summary: 'upload a local .bak to S3 in parts (not available in this version yet)',
  anyArguments: true,
  options: OUTPUT_OPTIONS,
  help: {
    synopsis: 'sqlserverflex-restore upload FILE.bak --bucket ADDRESS [options]',
    description: 'Streams a local backup file to the bucket as a multipart upload with a progress bar,\n'
      + 'ready for `import`.\n\n'
      + 'Not available in this version yet: it comes with the upload feature.',
    groups: [['Output', OUTPUT_OPTIONS]],
  },
  async run() {
    throw new NotAvailableError('upload');
  },
};
