// `upload`: local .bak files to S3 (checked first, then one PUT or a multipart upload with a
// progress bar); Ctrl-C aborts the upload server-side; a failed one can be resumed with --resume.
import { basename } from 'node:path';
import { integerOption } from '../args.mjs';
import { UsageError } from '../exit-codes.mjs';
import { interruptOnSigint } from '../interrupt.mjs';
import { formatBytes } from '../../format.js';
import { formatTable } from '../output.mjs';
import { compressedText, printBackupSets, printFindings, setsText } from '../preflight-report.mjs';
import { createProgressReporter, progressMode } from '../progress.mjs';
import { OUTPUT_OPTIONS } from './shared-options.mjs';

const KEY_OPTIONS = {
  'access-key': { type: 'string', value: 'KEY', help: 'S3 access key (default: $S3_ACCESS_KEY or $AWS_ACCESS_KEY_ID)' },
  'secret-key': { type: 'string', value: 'KEY', help: 'S3 secret key (default: $S3_SECRET_KEY or $AWS_SECRET_ACCESS_KEY)' },
};

/** Where S3 requests go, for `upload` and for `import` (its preflight reads and --upload). */
export const S3_ENDPOINT_OPTIONS = {
  's3-endpoint': { type: 'string', value: 'URL', help: 'S3 endpoint instead of the address\'s host (e.g. a local S3 server)' },
  's3-region': { type: 'string', value: 'REGION', help: 'S3 signing region (default: from the host; eu01 for STACKIT)' },
};

const FORCE_OPTION = {
  force: { type: 'boolean', help: 'upload even when the header check finds errors (not a backup, encrypted or unreadable, stripe missing)' },
};

/** Flags `import --upload` shares (it has its own S3 keys, endpoint, --force and --progress). */
export const UPLOAD_OPTIONS = {
  'part-size': { type: 'string', value: 'MIB', help: 'part size in MiB, 5..5120 (default: 8, larger for files over 78 GiB)' },
  concurrency: { type: 'string', value: 'N', help: 'parts sent in parallel, 1..64 (default 4)' },
  unverified: { type: 'boolean', help: 'send parts as UNSIGNED-PAYLOAD, streamed unread (faster; by default each part\'s SHA-256 is signed and S3 refuses a part that changed on the way)' },
  'keep-on-failure': { type: 'boolean', help: 'leave a failed upload\'s parts in S3 so --resume can continue it (Ctrl-C always aborts)' },
  resume: { type: 'string', multiple: true, value: 'NAME=ID', help: 'continue the multipart upload ID of file NAME (as printed after a failure)' },
};

const PROGRESS_OPTION = {
  progress: { type: 'string', value: 'MODE', help: 'auto (bar on a terminal, lines otherwise), bar, lines or none' },
};

const TARGET_OPTIONS = {
  to: { type: 'string', value: 'ADDRESS', help: 'where the files go: s3://host/bucket/prefix/ (keys: prefix + file name)' },
};

/** The S3 part of the input, from flags and the usual environment variables. */
export function s3Settings(values, env, bucket) {
  const accessKey = values['access-key'] ?? env.S3_ACCESS_KEY ?? env.AWS_ACCESS_KEY_ID;
  const secretKey = values['secret-key'] ?? env.S3_SECRET_KEY ?? env.AWS_SECRET_ACCESS_KEY;
  if (!accessKey || !secretKey) throw new UsageError('uploading needs --access-key/--secret-key or S3_ACCESS_KEY/S3_SECRET_KEY (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)');
  const s3 = { bucket, accessKey, secretKey };
  if (values['s3-endpoint'] !== undefined) s3.endpoint = values['s3-endpoint'];
  if (values['s3-region'] !== undefined) s3.region = values['s3-region'];
  return s3;
}

/** `upload` options from the flags; progress goes to `out.stderr`. */
export function uploadOptions(values, out, signal) {
  if (values.progress !== undefined && !['auto', 'bar', 'lines', 'none'].includes(values.progress)) {
    throw new UsageError(`--progress must be auto, bar, lines or none, got "${values.progress}"`);
  }
  const options = { signal, force: values.force ?? false };
  const partMib = integerOption(values, 'part-size');
  if (partMib !== undefined) options.partSize = partMib * 1024 * 1024;
  const concurrency = integerOption(values, 'concurrency');
  if (concurrency !== undefined) options.concurrency = concurrency;
  if (values.unverified) options.payload = 'unsigned';
  if (values['keep-on-failure']) options.onFailure = 'keep';
  if (values.resume) {
    options.resume = values.resume.map((text) => {
      const at = text.indexOf('=');
      if (at <= 0 || at === text.length - 1) throw new UsageError(`--resume must be NAME=UPLOAD_ID, got "${text}"`);
      return { name: text.slice(0, at), uploadId: text.slice(at + 1) };
    });
  }
  const reporter = createProgressReporter({ mode: progressMode(values.progress, out.stderr), stream: out.stderr });
  options.onProgress = (event) => reporter.update(barEvent(event));
  return { options, reporter };
}

/** An upload event in the shape the bar draws, with bytes and rate as its detail. */
function barEvent(event) {
  const rate = event.bytesPerSecond > 0 ? `, ${formatBytes(event.bytesPerSecond)}/s` : '';
  return {
    percent: event.percent,
    elapsedMs: event.elapsedMs,
    done: event.done,
    estimatedCompletion: event.etaMs === undefined ? undefined : new Date(Date.now() + event.etaMs).toISOString(),
    detail: `${formatBytes(event.loaded)} of ${formatBytes(event.total)}${rate}`,
  };
}

/** Runs an upload; on failure says how to resume or that nothing is left behind. */
export async function runUpload(api, internals, { files, s3, values, out, signal, databaseName }) {
  const { options, reporter } = uploadOptions(values, out, signal);
  try {
    const result = await api.upload({ s3, files, ...(databaseName ? { databaseName } : {}) }, options);
    reporter.finish();
    return result;
  } catch (error) {
    reporter.finish();
    if (error?.code === 'PREFLIGHT_FAILED') {
      const refusal = internals.refusal(error.report ?? { findings: [] }, false);
      throw new api.PreflightError(
        `the files were checked before uploading and nothing was sent (--force uploads anyway): ${refusal?.problems ?? ''}`,
        { code: 'PREFLIGHT_FAILED', report: error.report },
      );
    }
    const upload = error?.upload;
    if (upload && !upload.aborted) {
      out.note(`the upload of ${basename(upload.key)} stays in S3 (upload ID ${upload.uploadId}); continue it with`);
      out.note(`  --resume ${basename(upload.key)}=${upload.uploadId}`);
    } else if (upload?.aborted) {
      out.note('the multipart upload was aborted in S3: no parts are left behind');
    }
    throw error;
  }
}

/** The objects with what the header check read (compressed, backup sets), then its findings. */
export function printUploaded(result, out) {
  const checked = new Map((result.report?.files ?? []).map((f) => [f.path, f]));
  out.line(formatTable(['#', 'OBJECT', 'SIZE', 'PARTS', 'COMPRESSED', 'SETS'], result.files.map((f) => [
    f.number, f.path, formatBytes(f.size), f.resumedParts ? `${f.parts} (${f.resumedParts} resumed)` : f.parts,
    compressedText(checked.get(f.path)?.header), setsText(checked.get(f.path)),
  ])));
  const seconds = result.elapsedMs / 1000;
  out.line(`uploaded ${formatBytes(result.sentBytes)} in ${seconds.toFixed(1)} s${seconds > 0 ? ` (${formatBytes(result.sentBytes / seconds)}/s)` : ''}`);
  if (!result.report) return;
  if (Number.isFinite(result.report.restoreSize)) out.line(`a restore allocates ${formatBytes(result.report.restoreSize)} (the database files the backup lists)`);
  printBackupSets(out, result.report.files);
  printFindings(out, result.report.findings);
}

export default {
  name: 'upload',
  summary: 'upload local .bak files to S3 (checked first; multipart, parallel, resumable)',
  positionals: 64,
  options: { ...TARGET_OPTIONS, ...KEY_OPTIONS, ...S3_ENDPOINT_OPTIONS, ...UPLOAD_OPTIONS, ...FORCE_OPTION, ...PROGRESS_OPTION, ...OUTPUT_OPTIONS },
  help: {
    synopsis: 'sqlserverflex-restore upload FILE.bak… --to s3://host/bucket/prefix/ [options]',
    description: 'Checks each file as the preflight does (first and last 64 KiB, 64 KiB at each later backup set):\n'
      + 'a SQL Server backup, not encrypted or unreadable, stripe sets complete; compressed backups are fine.\n'
      + 'Then uploads it as prefix + file name: one PUT for small files, else a multipart upload with parts\n'
      + 'in parallel, each retried. Prints the objects in family order (ready for `import --file`), whether each\n'
      + 'is compressed and how many backup sets it holds (an import restores set 1), and the check\'s findings.\n'
      + 'Ctrl-C aborts the upload in S3. Exit codes: 0 uploaded, 2 usage, 3 S3 keys refused, 4 S3/network, 5 a file refused by the header check, 130 Ctrl-C.',
    groups: [['Target', { ...TARGET_OPTIONS, ...S3_ENDPOINT_OPTIONS }], ['S3 keys', KEY_OPTIONS], ['Upload', { ...UPLOAD_OPTIONS, ...FORCE_OPTION }], ['Output', { ...PROGRESS_OPTION, ...OUTPUT_OPTIONS }]],
  },

  async run({ values, positionals, out, env, loadPackage, loadInternals }) {
    if (positionals.length === 0) throw new UsageError('give at least one .bak file');
    if (!values.to) throw new UsageError('missing --to s3://host/bucket/prefix/');
    const s3 = s3Settings(values, env, values.to);
    const api = await loadPackage();
    const interrupt = interruptOnSigint();
    try {
      const result = await runUpload(api, await loadInternals(), { files: positionals, s3, values, out, signal: interrupt.signal });
      printUploaded(result, out);
      out.result(result);
      return 0;
    } finally {
      interrupt.dispose();
    }
  },
};
