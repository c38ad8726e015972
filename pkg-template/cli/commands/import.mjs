// `import`: validate, trigger and optionally wait for an import of .bak files from S3 (with
// --upload, local files are uploaded to the bucket first).
import { basename } from 'node:path';
import { UsageError } from '../exit-codes.mjs';
import { CONNECTION_FLAGS, CONNECTION_OPTIONS, connectionSettings, createClient, resolveAuth } from '../connection.mjs';
import { followRestore, resumeCommand } from '../follow-restore.mjs';
import { runPlan } from '../import-plan.mjs';
import { saveRecord } from '../record-file.mjs';
import { interruptOnSigint } from '../interrupt.mjs';
import { issueText } from '../output.mjs';
import { printFindings, printPreflight } from '../preflight-report.mjs';
import { progressMode } from '../progress.mjs';
import { OUTPUT_OPTIONS, WAIT_OPTIONS, waitSettings } from './shared-options.mjs';
import { S3_ENDPOINT_OPTIONS, UPLOAD_OPTIONS, runUpload, s3Settings } from './upload.mjs';

const INPUT_OPTIONS = {
  instance: { type: 'string', value: 'ID', help: 'SQLServer Flex instance ID (UUID)' },
  database: { type: 'string', value: 'NAME', help: 'database to create (must not exist yet)' },
  owner: { type: 'string', value: 'LOGIN', help: 'existing login that will own the database' },
  'logging-guid': { type: 'string', value: 'UUID', help: 'correlates the restore\'s logs (default: a new UUID)' },
  bucket: { type: 'string', value: 'ADDRESS', help: 'bucket address, e.g. s3://object.storage.eu01.onstackit.cloud/bucket/backups/' },
  'access-key': { type: 'string', value: 'KEY', help: 'S3 access key (default: $S3_ACCESS_KEY or $AWS_ACCESS_KEY_ID)' },
  'secret-key': { type: 'string', value: 'KEY', help: 'S3 secret key (default: $S3_SECRET_KEY or $AWS_SECRET_ACCESS_KEY)' },
  file: { type: 'string', multiple: true, value: 'PATH', help: 'backup file, repeatable: stripe 1, 2, … in order; a name without s3:// is taken inside --bucket' },
  discover: { type: 'string', value: 'PREFIX', help: 'import the newest complete full backup set under PREFIX (inside --bucket, or s3://…); runs the preflight' },
  upload: { type: 'boolean', help: 'upload the local .bak files given as arguments to --bucket first (see `upload --help`)' },
};

const PREFLIGHT_OPTIONS = {
  preflight: { type: 'boolean', help: 'before triggering, read each file\'s header from S3 and check the instance (state, target, owner, running restore, version, storage)' },
  force: { type: 'boolean', help: 'trigger (and upload) even when the preflight or the upload\'s header check finds errors' },
  tail: { type: 'boolean', help: 'the preflight reads the last 64 KiB of each file and 64 KiB per further backup set in it (the default)' },
  'no-tail': { type: 'boolean', help: 'the preflight reads only the first 64 KiB of each file (no cut-short or backup-set checks)' },
  'skip-check': { type: 'string', multiple: true, value: 'NAME', help: 'skip a preflight check: backup, instance, database, owner, restoreJobs, version, storage' },
  ...S3_ENDPOINT_OPTIONS,
};

const ACTION_OPTIONS = {
  wait: { type: 'boolean', help: 'wait for the restore to end, with a progress bar (percent, ETA)' },
  record: { type: 'string', value: 'FILE', help: 'write the restore record (no secrets) to FILE and keep it up to date; `wait --record FILE` or a re-run of a --plan resumes from it' },
  'dry-run': { type: 'boolean', help: 'validate and show the request (secrets masked); send nothing' },
  curl: { type: 'boolean', help: 'also print the equivalent curl command ($TOKEN and $S3_SECRET_KEY stand for the secrets)' },
};

const PLAN_OPTIONS = {
  plan: { type: 'string', value: 'FILE', help: 'import many databases: a JSON or CSV plan (database, owner, files or discover per row; instance, bucket default to the flags); every row is checked first, then preflighted, triggered and followed' },
  concurrency: { type: 'string', value: 'N', help: 'with --plan: restores running at once per instance (default 1; a 409 while busy is waited out)' },
  'no-preflight': { type: 'boolean', help: 'with --plan: trigger without the preflight of each row' },
};

const FLAGS = {
  ...CONNECTION_FLAGS,
  instanceId: '--instance',
  databaseName: '--database',
  databaseOwner: '--owner',
  loggingGuid: '--logging-guid',
  s3: '--bucket',
  's3.bucket': '--bucket',
  's3.accessKey': '--access-key',
  's3.secretKey': '--secret-key',
  's3.files': '--file',
};

/** `s3.files[1].path` → `--file #2`. */
function flagFor(field) {
  const file = /^s3\.files\[(\d+)\]/.exec(field);
  if (file) return `--file #${Number(file[1]) + 1}`;
  return FLAGS[field] ?? field;
}

export default {
  name: 'import',
  summary: 'import .bak files from S3 into a new database (validate, trigger, --wait)',
  options: { ...INPUT_OPTIONS, ...PLAN_OPTIONS, ...PREFLIGHT_OPTIONS, ...ACTION_OPTIONS, ...WAIT_OPTIONS, ...UPLOAD_OPTIONS, ...CONNECTION_OPTIONS, ...OUTPUT_OPTIONS },
  positionals: 64,
  flagFor,
  help: {
    synopsis: 'sqlserverflex-restore import --instance ID --database NAME --owner LOGIN --bucket ADDRESS --file PATH… [options]',
    description: 'Imports SQL Server backup files from S3 into a new database of a SQLServer Flex instance.\n'
      + 'Every field is checked before anything is sent; all problems are listed at once (exit 2).',
    groups: [['Import', INPUT_OPTIONS], ['Many databases', PLAN_OPTIONS], ['Preflight', PREFLIGHT_OPTIONS], ['Actions', ACTION_OPTIONS], ['Waiting (with --wait)', WAIT_OPTIONS], ['Upload (with --upload)', UPLOAD_OPTIONS], ['Connection', CONNECTION_OPTIONS], ['Output', OUTPUT_OPTIONS]],
    footer: 'Credentials: --token / --key-file, else $STACKIT_SERVICE_ACCOUNT_KEY_PATH, $STACKIT_SERVICE_ACCOUNT_KEY,\n'
      + '$STACKIT_SERVICE_ACCOUNT_TOKEN or ~/.stackit/credentials.json. Secrets are never printed.\n'
      + 'Exit codes: 0 success, 1 restore failed or timed out, 2 usage/validation, 3 auth, 4 API/network,\n'
      + '5 preflight errors (nothing triggered), 130 Ctrl-C.\n\n'
      + 'Example:\n'
      + '  export S3_ACCESS_KEY=… S3_SECRET_KEY=… STACKIT_SERVICE_ACCOUNT_KEY_PATH=~/sa-key.json\n'
      + '  sqlserverflex-restore import --project P --instance I --database sales --owner app_owner \\\n'
      + '    --bucket s3://object.storage.eu01.onstackit.cloud/my-bucket/backups/ --file sales.bak --wait\n'
      + '  sqlserverflex-restore import --plan plan.csv --instance I --bucket s3://…/backups/ --concurrency 2 --wait --record run.json',
  },

  async run({ values: flags, positionals, out, env, loadPackage, loadInternals, loadCredentials }) {
    if (flags.plan !== undefined) return importPlan({ values: flags, positionals, out, env, loadPackage, loadInternals, loadCredentials });
    if (flags.concurrency !== undefined || flags['no-preflight']) throw new UsageError('--concurrency and --no-preflight go with --plan');
    const values = withUploadFiles(flags, positionals);
    const discovering = values.discover !== undefined;
    if (values.tail && values['no-tail']) throw new UsageError('give --tail or --no-tail, not both');
    if (discovering && (values.file ?? []).length > 0) {
      throw new UsageError(values.upload ? '--discover finds the files in S3: give --discover or --upload, not both' : '--discover finds the files itself: give --discover or --file, not both');
    }
    const settings = connectionSettings(values, env);
    const wait = waitSettings(values);
    const api = await loadPackage();
    const internals = await loadInternals();
    const input = importInput(values, env, internals.objectPath);
    // With --discover the files come from the bucket; everything else is checked before reading it.
    if (discovering) validated(api, input, settings, out, (issue) => !issue.field.startsWith('s3.files'));
    else validated(api, input, settings, out);

    let client;
    const connect = async () => (client ??= createClient(api, settings, await resolveAuth(values, env, loadCredentials)));
    if (values['dry-run'] && values.upload) out.note('dry run: the local files are not uploaded');
    const interrupt = interruptOnSigint();
    try {
      // Uploaded first, so the preflight reads the objects the import will name.
      if (values.upload && !values['dry-run']) {
        const s3 = s3Settings(values, env, input.s3.bucket);
        const uploaded = await runUpload(api, internals, { files: positionals, s3, values, out, signal: interrupt.signal, databaseName: input.databaseName });
        out.line(`uploaded ${uploaded.files.length} file(s) to ${uploaded.bucket}`);
        // What the header check found (compressed, several backup sets …) also when no preflight follows.
        printFindings(out, uploaded.report?.findings ?? []);
        input.s3.files = uploaded.files.map(({ number, path }) => ({ number, path }));
      }
      let preflight;
      if (discovering || values.preflight) {
        preflight = await runPreflight(api, internals, await connect(), input, values, out, interrupt.signal);
        if (preflight.report.filesInOrder) input.s3.files = preflight.report.filesInOrder;
      }
      // One logging GUID for the dry run, the curl command and the request actually sent.
      input.loggingGuid = validated(api, input, settings).normalized.loggingGuid;
      if (values['dry-run']) return dryRun(api, settings, input, values, out, preflight);

      await connect();
      const curl = values.curl ? curlFor(api, client.buildRequest('importFromS3', input)) : undefined;
      if (curl) out.line(curl);
      let accepted;
      try {
        accepted = await client.importFromS3(input, { signal: interrupt.signal });
      } catch (error) {
        if (error?.name === 'AbortError') {
          out.note('interrupted while sending the import: it may or may not have reached the service;');
          out.note(`  check with: sqlserverflex-restore jobs --instance ${input.instanceId}`);
        }
        throw error;
      }
      if (preflight) Object.assign(accepted, { preflight: preflight.report, discovery: preflight.discovery });
      const keepRecord = (record) => values.record && saveRecord(values.record, record);
      keepRecord(accepted.record);
      out.line(`import accepted (HTTP ${accepted.status}): ${input.databaseName} on instance ${input.instanceId}`);
      out.line(`  trace id:     ${accepted.traceId ?? '–'}`);
      out.line(`  logging GUID: ${accepted.loggingGuid}`);
      if (!values.wait) {
        out.line(`  the restore runs server-side; follow it with: ${values.record ? `sqlserverflex-restore wait --record ${values.record}` : resumeCommand(input.instanceId, input.databaseName)}`);
        out.result({ ...accepted, instanceId: input.instanceId, databaseName: input.databaseName, ...(curl ? { curl } : {}) });
        return 0;
      }
      const { result, exitCode } = await followRestore({
        client, instanceId: input.instanceId, databaseName: input.databaseName, out,
        progressMode: progressMode(values.progress, out.stderr), signal: interrupt.signal,
        waitOptions: { ...wait, resume: accepted.record },
      });
      keepRecord(result.record);
      out.result({ ...accepted, instanceId: input.instanceId, ...result, ...(curl ? { curl } : {}) });
      return exitCode;
    } finally {
      interrupt.dispose();
    }
  },
};

/** `import --plan FILE`: the flags give each row's defaults (instance, bucket, owner, S3 keys). */
async function importPlan({ values, positionals, out, env, loadPackage, loadInternals, loadCredentials }) {
  if (positionals.length > 0 || values.upload) throw new UsageError('--plan imports objects already in S3: no --upload or local files');
  for (const flag of ['file', 'discover', 'database', 'logging-guid', 'dry-run', 'curl']) {
    if (values[flag] !== undefined && values[flag] !== false) throw new UsageError(`--${flag} is given per row in the plan, not with --plan`);
  }
  if (values.concurrency !== undefined && (!/^[1-9]\d?$/.test(values.concurrency) || Number(values.concurrency) > 64)) throw new UsageError('--concurrency must be a whole number from 1 to 64');
  const settings = connectionSettings(values, env);
  const api = await loadPackage();
  const internals = await loadInternals();
  let client;
  const connect = async () => (client ??= createClient(api, settings, await resolveAuth(values, env, loadCredentials)));
  const interrupt = interruptOnSigint();
  try {
    return await runPlan({
      api, connect, values, out, signal: interrupt.signal, waitOptions: waitSettings(values),
      inputFor: (row) => importInput({
        ...values, instance: row.instance ?? values.instance, bucket: row.bucket ?? values.bucket, owner: row.owner ?? values.owner,
        database: row.database, file: row.files ?? [], 'logging-guid': row.loggingGuid,
      }, env, internals.objectPath),
      discover: async (planClient, input, prefix) => {
        const outcome = await runPreflight(api, internals, planClient, input, { ...values, discover: prefix }, out, interrupt.signal);
        return outcome.report.filesInOrder ?? outcome.discovery.proposal;
      },
    });
  } finally {
    interrupt.dispose();
  }
}

/** Validates `input`; throws the ValidationError listing the issues `relevant` keeps. */
function validated(api, input, settings, out, relevant = () => true) {
  const check = api.validateImport(input, settings);
  for (const warning of check.warnings) out?.warn(issueText(warning, flagFor));
  const errors = check.errors.filter(relevant);
  if (errors.length > 0) throw new api.ValidationError('invalid input', { code: 'VALIDATION_ERROR', errors, warnings: check.warnings });
  return check;
}

/**
 * The library's preflight (backup files + instance) before the trigger, its report printed; without
 * files (--discover) it proposes the newest complete full backup set. Throws PreflightError (exit 5)
 * on errors unless --force.
 */
async function runPreflight(api, internals, client, input, values, out, signal) {
  const s3 = { ...input.s3, endpoint: values['s3-endpoint'], region: values['s3-region'] };
  if (values.discover !== undefined) {
    s3.bucket = /^s3:\/\//i.test(values.discover) ? values.discover : joinInBucket(input.s3.bucket, values.discover, internals.objectPath);
    delete s3.files;
  }
  const outcome = await client.preflight({ ...input, s3 }, { signal, tail: !values['no-tail'], skip: values['skip-check'] });
  printPreflight(out, outcome);
  if (outcome.discovery && !outcome.discovery.proposal) {
    throw new api.PreflightError(`no complete full backup set under ${s3.bucket}; nothing was triggered`, { code: 'NO_BACKUP_SET', report: outcome.report });
  }
  const refusal = internals.refusal(outcome.report, values.force === true);
  if (refusal) {
    throw new api.PreflightError(
      `the preflight found ${refusal.count} error(s); nothing was triggered (--force triggers anyway): ${refusal.codes}`,
      { code: 'PREFLIGHT_FAILED', report: outcome.report },
    );
  }
  return outcome;
}

/** With --upload, the arguments are local files: the import names the objects they become. */
function withUploadFiles(values, positionals) {
  if (!values.upload) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]} (local files need --upload)`);
    return values;
  }
  if (positionals.length === 0) throw new UsageError('--upload needs the local .bak files as arguments');
  if ((values.file ?? []).length > 0) throw new UsageError('give either --upload with local files or --file, not both');
  return { ...values, file: positionals.map((path) => basename(path)) };
}

/** The import input from flags and the S3 key environment variables. */
export function importInput(values, env, objectPath) {
  const bucket = values.bucket ?? '';
  const files = (values.file ?? []).map((path) => ({ path: path.includes('://') ? path : joinInBucket(bucket, path, objectPath) }));
  const input = {
    instanceId: values.instance ?? '',
    databaseName: values.database ?? '',
    databaseOwner: values.owner ?? '',
    s3: {
      bucket,
      accessKey: values['access-key'] ?? env.S3_ACCESS_KEY ?? env.AWS_ACCESS_KEY_ID ?? '',
      secretKey: values['secret-key'] ?? env.S3_SECRET_KEY ?? env.AWS_SECRET_ACCESS_KEY ?? '',
      files,
    },
  };
  if (values['logging-guid'] !== undefined) input.loggingGuid = values['logging-guid'];
  return input;
}

function joinInBucket(bucket, name, objectPath) {
  if (bucket === '') throw new UsageError(`--file ${name} is not a full URI (s3://…), so it needs --bucket`);
  // A name given as `/sales.bak` still means the object inside the bucket address.
  return objectPath(bucket, name.replace(/^\/+/, ''));
}

function curlFor(api, request) {
  return api.toCurl(request, { reveal: false });
}

function dryRun(api, settings, input, values, out, preflight) {
  // A placeholder token only shapes the Authorization header; masked output shows `***` / `$TOKEN`.
  const request = api.buildRequest('importFromS3', { ...settings, token: 'dry-run' }, input, { reveal: false });
  const curl = curlFor(api, request);
  if (values.json) {
    out.result({
      dryRun: true, valid: true, request: { ...request, body: JSON.parse(request.body) },
      ...(preflight ? { preflight: preflight.report, discovery: preflight.discovery, instance: preflight.instance } : {}),
      ...(values.curl ? { curl } : {}),
    });
    return 0;
  }
  out.line(preflight ? 'dry run: the input is valid and the preflight passed; nothing was triggered.' : 'dry run: the input is valid; nothing was sent.');
  if (values.curl) {
    out.line(curl);
    return 0;
  }
  out.line(`${request.method} ${request.url}`);
  for (const [name, value] of Object.entries(request.headers)) out.line(`${name}: ${value}`);
  out.line('');
  out.line(JSON.stringify(JSON.parse(request.body), null, 2));
  return 0;
}
