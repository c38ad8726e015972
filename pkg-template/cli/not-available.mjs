// Features the CLI already names but this version does not have yet: the S3 preflight (reading each
// backup file's header before a restore), discovery of a backup set under a prefix, `inspect`, and
// upload of a local .bak. Each place that needs one throws `NotAvailableError(feature)` before
// anything is sent; wiring a feature means replacing that throw with the package call.

export const FEATURES = Object.freeze({
  preflight: 'the S3 preflight (--preflight: reading each backup file\'s header before the restore)',
  discover: 'discovering a backup set under an S3 prefix (--discover)',
  inspect: '`inspect` (the type, database, version and stripes of .bak files)',
  upload: '`upload` (a local .bak to S3 in parts)',
});

export class NotAvailableError extends Error {
  constructor(feature) {
    super(`${FEATURES[feature] ?? feature} is not available in this version yet`);
    this.name = 'NotAvailableError';
    this.code = 'NOT_AVAILABLE';
    this.feature = feature;
  }
}
