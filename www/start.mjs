// `npm start`: the whole job on this machine. Builds what is missing; starts a local S3 server that
// checks signatures (s3s-fs behind a CORS proxy, www/demo-s3.mjs) holding generated sample backups,
// the API emulator (time-scaled: a 10-minute restore takes 10 s; it reads the backup files from
// that S3 as the service would) and the restore console (www/) on loopback; prints the S3 settings;
// then, with the built package, refuses a log and an encrypted backup in the preflight, discovers
// the newest full backup set in the bucket, preflights it with the instance, imports it and follows
// the restore to its end. The console URL opens the console filled in for both (`?demo=1`: it
// fetches the settings from this server, secrets into the tab's memory only, www/console/demo.js).
// `--once` exits after the demo import (for tests); `--no-s3` runs without the S3 part.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from '../tools/build.mjs';
import { root } from '../tools/toolchain.mjs';
import { DEMO_S3, SAMPLES_DIR, prepareS3sFs, startDemoS3, writeDemoBackups } from './demo-s3.mjs';
import { DEMO_SETTINGS_PATH, demoSettingsRoute } from './demo-settings.mjs';
import { startStaticServer } from './serve.mjs';

const once = process.argv.includes('--once');
const withS3 = !process.argv.includes('--no-s3');
/** The emulator runs restores this many times faster than real time. */
const TIME_SCALE = 60;
const RESTORE_SECONDS = 600 / TIME_SCALE;
const log = (line = '') => console.log(line);

const pkg = await build();
const api = await import(pathToFileURL(join(pkg, 'node.mjs')).href); // a bare path would be read as a URL: a '#' or '%' in it breaks
const { startEmulator, DEFAULT_PROJECT_ID, DEFAULT_INSTANCE_ID, DEFAULT_TOKEN, DEFAULT_OWNER_LOGIN } = await import(pathToFileURL(join(pkg, 'emulator', 'index.mjs')).href);

// S3 first: the emulator is told where to read the backup files.
let s3 = null;
let samples = [];
let s3Problem = withS3 ? prepareS3sFs({ install: true, log }) : 'skipped (--no-s3)';
if (s3Problem === null) {
  try {
    log('S3: writing the sample backups (cargo test --test write_fixtures; the first run compiles it) …');
    samples = writeDemoBackups();
    s3 = await startDemoS3({ samples, port: 9000 });  // 9000 if free, else any
  } catch (error) {
    s3Problem = error.message;
  }
}
if (s3Problem !== null) {
  log(`S3: not started — ${s3Problem}.`);
  log('    The demo goes on without it: the import below is not checked against any files, and the console\'s');
  log(`    Upload, Discover and Preflight have no bucket to use. ${withS3
    ? 'npm start tries again next time.'
    : 'Start without --no-s3 for them.'}`);
}

const emulator = await listenOnPreferredPort((port) => startEmulator({
  port,
  timeScale: TIME_SCALE,
  // The import reads the first 64 KiB of every file from the demo S3, as SQL Server would.
  s3: s3 ? { endpoint: s3.endpoint } : null,
}), 8787);

const settings = demoSettingsRoute(() => ({
  api: emulator.url,
  projectId: DEFAULT_PROJECT_ID,
  instanceId: DEFAULT_INSTANCE_ID,
  token: DEFAULT_TOKEN,
  databaseOwner: DEFAULT_OWNER_LOGIN,
  databaseName: freeDatabaseName(),
  restoreSeconds: RESTORE_SECONDS,
  s3: s3 && {
    bucket: s3.bucketUrl,
    accessKey: DEMO_S3.accessKey,
    secretKey: DEMO_S3.secretKey,
    samplesDir: SAMPLES_DIR,
    samples: samples.map(({ key, about }) => ({ key, about })),
  },
  s3Problem,
}));
const page = await listenOnPreferredPort((port) => startStaticServer({
  mounts: { '/': join(root, 'www'), '/pkg/': pkg },
  routes: { [DEMO_SETTINGS_PATH]: settings.handler },
  port,
}), 8080);
settings.listeningOn(page.url);
const consoleUrl = `${page.url}/?api=${encodeURIComponent(emulator.url)}&demo=1`;

log();
log(`emulator:   ${emulator.url}  (token "${DEFAULT_TOKEN}", project ${DEFAULT_PROJECT_ID}, instance ${DEFAULT_INSTANCE_ID};`);
log(`            restores run ${TIME_SCALE}x faster: a 10-minute restore takes ${RESTORE_SECONDS} s)`);
if (s3) {
  log(`S3 server:  s3s-fs (checks every request's SigV4 signature), CORS open for the console`);
  log(`  bucket:     ${s3.bucketUrl}`);
  log(`              = ${s3.s3Url} with s3.endpoint ${s3.endpoint} (s3:// alone means https)`);
  log(`  endpoint:   ${s3.endpoint}   (any signing region)`);
  log(`  access key: ${DEMO_S3.accessKey}`);
  log(`  secret key: ${DEMO_S3.secretKey}   (a local demo credential)`);
  log(`  objects:    ${s3.bucketDir}  (the bucket's folder, removed on exit)`);
  log(`sample backups in the bucket (copies to upload from the console: ${SAMPLES_DIR}):`);
  const width = Math.max(...samples.map(({ key }) => key.length));
  for (const { key, about } of samples) log(`  ${key.padEnd(width)}  ${about}`);
}
if (!once) log(`console:    ${consoleUrl}`);
log();

// Ctrl-C at any point stops the servers (and with them s3s-fs) and removes the bucket folder.
let stopping = null;
const stop = async () => {
  stopping ??= stopAll();
  await stopping;
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

try {
  await runDemo();
} catch (error) {
  console.error(`demo failed: ${error.name} ${error.code ?? ''}: ${error.message}`);
  process.exitCode = 1;
}

if (once) {
  stopping ??= stopAll();
  await stopping;
  process.removeListener('SIGINT', stop);
  process.removeListener('SIGTERM', stop);
} else {
  log();
  log(`console:    ${consoleUrl}`);
  log('            filled in: emulator, token, bucket and keys (the secrets via this server, into the tab\'s memory only)');
  log(`CLI:        node pkg/cli.mjs jobs --base-url ${emulator.url} --token ${DEFAULT_TOKEN} --project ${DEFAULT_PROJECT_ID} --instance ${DEFAULT_INSTANCE_ID}`);
  log('press Ctrl-C to stop');
}

/** Preflight refusals, discovery, preflight with the instance, import, waiting: what the README promises. */
async function runDemo() {
  const client = new api.RestoreClient({
    projectId: DEFAULT_PROJECT_ID,
    region: 'eu01',
    apiVersion: 'v3alpha1',
    baseUrl: emulator.url,
    token: DEFAULT_TOKEN,
  });
  const input = {
    instanceId: DEFAULT_INSTANCE_ID,
    databaseName: 'SalesDb_demo',
    databaseOwner: DEFAULT_OWNER_LOGIN,
    s3: s3
      ? { bucket: s3.bucketUrl, accessKey: DEMO_S3.accessKey, secretKey: DEMO_S3.secretKey }
      : {
        // No S3 here: the emulator accepts any file address without reading it.
        bucket: 's3://object.storage.eu01.onstackit.cloud/demo-bucket/backups/',
        accessKey: 'DEMO-ACCESS-KEY',
        secretKey: 'demo-secret-key',
        files: [{ number: 1, path: 's3://object.storage.eu01.onstackit.cloud/demo-bucket/backups/demo.bak' }],
      },
  };

  if (s3) {
    for (const key of ['refused/log.bak', 'refused/encrypted.bak']) {
      const { report } = await api.preflight({ s3: { ...input.s3, files: [{ path: `${s3.bucketUrl}${key}` }] } });
      log(`preflight of ${key}: ${report.verdict} (${errorsOf(report)})`);
    }
    log(`discovering the newest complete full backup set under ${s3.bucketUrl} (preflight with the instance checks) …`);
    const checked = await client.preflight({ ...input, s3: { ...input.s3, files: undefined } });
    const proposal = checked.discovery?.proposal ?? [];
    if (proposal.length === 0) throw new Error('the discovery proposed no backup set');
    input.s3.files = proposal;
    const set = checked.discovery.sets.find((s) => s.files?.some((f) => f.path === proposal[0].path));
    log(`  proposed: ${proposal.map((f) => f.path.slice(s3.bucketUrl.length)).join(', ')}`
      + (set ? ` (${set.backupType} of ${set.databaseName}, ${set.backupDate})` : ''));
    log(`  verdict: ${checked.report.verdict}; instance checks: ${checked.checks.map(({ check, status }) => `${check} ${status}`).join(', ')}`);
    log(`  read ${checked.requests} times from S3, ${(checked.bytesRead / 1024).toFixed(0)} KiB (headers and tails only)`);
  }

  log(`importing ${input.databaseName} into instance ${DEFAULT_INSTANCE_ID} …`);
  const accepted = await client.importFromS3(input);
  log(`import accepted: ${JSON.stringify(accepted)}`);
  log(`following the restore of ${input.databaseName} (restore-jobs, then the database) …`);
  let lastPercent = -1;
  const result = await client.waitForRestore({ instanceId: DEFAULT_INSTANCE_ID, databaseName: input.databaseName }, {
    // The emulator costs nothing to poll, and its clock runs fast: poll every 0.5–2 s.
    minDelayMs: 500,
    maxDelayMs: 2000,
    onProgress: ({ percent, elapsedMs }) => {
      if (Math.floor(percent) === lastPercent) return;
      lastPercent = Math.floor(percent);
      log(`  ${String(lastPercent).padStart(3)} %  after ${(elapsedMs / 1000).toFixed(1)} s`);
    },
  });
  const restore = emulator.state.instances.find((i) => i.id === DEFAULT_INSTANCE_ID)?.restores.find((r) => r.databaseName === input.databaseName);
  if (result.state === 'SUCCEEDED') {
    log(`${result.state}: database ${result.database?.name ?? input.databaseName} exists (owner ${input.databaseOwner}) `
      + `after ${(result.elapsedMs / 1000).toFixed(1)} s, ${result.polls} polls`
      + (s3 ? `; the emulator read ${input.s3.files.length} files from S3 (check ${restore?.s3Check.status})` : ''));
  } else {
    throw new Error(`the restore ended ${result.state}${restore?.failureReason ? `: ${restore.failureReason}` : ''}`);
  }
}

function errorsOf(report) {
  const errors = report.findings.filter((f) => f.severity === 'error').map((f) => f.code);
  return errors.length > 0 ? `${[...new Set(errors)].join(', ')}: an import of it would fail` : 'no errors';
}

/** A target name the console can import to: not a database yet and not being restored. */
function freeDatabaseName() {
  const instance = emulator.state.instances.find((i) => i.id === DEFAULT_INSTANCE_ID);
  const taken = new Set([...(instance?.databases ?? []).map((d) => d.name), ...(instance?.restores ?? []).map((r) => r.databaseName)]);
  for (let n = 1; ; n += 1) {
    const name = `SalesDb_console${n === 1 ? '' : n}`;
    if (!taken.has(name)) return name;
  }
}

async function stopAll() {
  await Promise.all([emulator.stop(), page.stop(), s3?.stop()]);
}

/** Prefers a memorable port, falls back to any free one when it is taken. */
async function listenOnPreferredPort(start, preferred) {
  try {
    return await start(preferred);
  } catch (error) {
    if (error?.code !== 'EADDRINUSE') throw error;
    return start(0);
  }
}
