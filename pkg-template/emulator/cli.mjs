// `npx sqlserverflex-restore emulator [options]` (the package CLI calls runEmulatorCli) or
// `node cli.mjs [options]`: starts the emulator, prints its URL, a bearer token and a
// service-account key JSON, and runs until SIGINT/SIGTERM.
import { readFile, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator, DEFAULT_TOKEN } from './index.mjs';

export const CLI_DEFAULT_PORT = 8780;

const USAGE = `Usage: sqlserverflex-restore emulator [options]

Local emulator of the STACKIT SQLServer Flex restore API (v3, v3alpha1) and token endpoint.

Options:
  --port N                 port to listen on (default ${CLI_DEFAULT_PORT}; 0 = any free port)
  --host H                 interface to bind (default 127.0.0.1)
  --scenario FILE          scenario JSON (default: built-in scenario)
  --time-scale N           restores run N times faster (default 1)
  --restore-duration-ms N  restore duration at time scale 1 (default 600000)
  --max-parallel-restores N  restores one instance runs at once, more answer 409 (default: no limit)
  --token T                accepted static bearer token (default ${DEFAULT_TOKEN}; repeatable)
  --s3-endpoint URL        check EXTERNAL_S3 backup files on this S3-compatible endpoint
  --s3-region R            SigV4 region for --s3-endpoint (default eu01)
  --key-file FILE          also write the generated service-account key JSON to FILE
  --log                    log one line per request to stderr
  -h, --help               show this help`;

/**
 * @param {string[]} argv  arguments after the command name, e.g. ['--port', '8080']
 * @param {{stdout?: NodeJS.WritableStream, signal?: AbortSignal}} [io]  for embedding and tests
 * @returns {Promise<number>} exit code, once stopped by a signal
 */
export async function runEmulatorCli(argv, { stdout = process.stdout, signal } = {}) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        scenario: { type: 'string' },
        'time-scale': { type: 'string' },
        'restore-duration-ms': { type: 'string' },
        'max-parallel-restores': { type: 'string' },
        token: { type: 'string', multiple: true },
        's3-endpoint': { type: 'string' },
        's3-region': { type: 'string' },
        'key-file': { type: 'string' },
        log: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }

  let emulator;
  try {
    emulator = await startEmulator({
      host: values.host,
      port: numberOption(values.port, 'port') ?? CLI_DEFAULT_PORT,
      scenario: values.scenario ? JSON.parse(await readFile(values.scenario, 'utf8')) : undefined,
      timeScale: numberOption(values['time-scale'], 'time-scale'),
      restoreDurationMs: numberOption(values['restore-duration-ms'], 'restore-duration-ms'),
      maxParallelRestores: numberOption(values['max-parallel-restores'], 'max-parallel-restores'),
      tokens: values.token,
      s3: values['s3-endpoint'] ? { endpoint: values['s3-endpoint'], region: values['s3-region'] } : null,
      log: values.log ?? false,
    });
  } catch (error) {
    process.stderr.write(`emulator: ${error.message}\n`);
    return 1;
  }

  const key = emulator.addServiceAccount({ email: 'emulator-demo@sa.stackit.cloud' });
  if (values['key-file']) await writeFile(values['key-file'], `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
  const instances = emulator.state.instances.map((i) =>
    `  ${i.state.padEnd(11)} ${emulator.url}/v3/projects/${i.projectId}/regions/${i.region}/instances/${i.id}`);
  stdout.write([
    `SQLServer Flex emulator listening on ${emulator.url}`,
    '  (v3alpha1: same paths with /v3alpha1/ instead of /v3/)',
    ...instances,
    `  token endpoint: ${emulator.tokenUrl}`,
    `  admin:          ${emulator.url}/_emulator/state`,
    '',
    `Bearer token: ${emulator.defaultToken}`,
    `  export STACKIT_SERVICE_ACCOUNT_TOKEN=${emulator.defaultToken}`,
    '',
    `Service-account key (key flow)${values['key-file'] ? `, also written to ${values['key-file']}` : ''}:`,
    JSON.stringify(key),
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'));

  await waitForStop(signal);
  await emulator.stop();
  stdout.write('emulator stopped\n');
  return 0;
}

function waitForStop(signal) {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function numberOption(raw, name) {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new TypeError(`--${name} must be a number`);
  return value;
}

function isMainModule() {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  process.exitCode = await runEmulatorCli(process.argv.slice(2));
}
