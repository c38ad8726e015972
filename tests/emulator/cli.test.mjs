// The CLI: prints URL, bearer token and a usable service-account key; stops on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { runEmulatorCli } from '../../pkg-template/emulator/cli.mjs';
import { assertionFor, tokenRequest, call, instancePath } from './support/helpers.mjs';

const CLI = fileURLToPath(new URL('../../pkg-template/emulator/cli.mjs', import.meta.url));

function parseBanner(text) {
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)[1];
  const token = /Bearer token: (\S+)/.exec(text)[1];
  const key = JSON.parse(text.split('\n').find((line) => line.startsWith('{"id"')));
  return { url, token, key };
}

test('node cli.mjs: banner, working token and key, clean stop on SIGTERM', async () => {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--time-scale', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Press Ctrl+C to stop.')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });
  const { url, token, key } = parseBanner(output);
  const emulator = { url, tokenUrl: `${url}/token` };
  assert.equal(token, 'emulator-token');
  assert.equal((await call(emulator, 'GET', 'restore-jobs', { token })).status, 200);
  const issued = await tokenRequest(emulator, assertionFor(key));
  assert.equal(issued.status, 200, issued.text);
  assert.equal((await call(emulator, 'GET', '', { token: issued.json.access_token })).status, 200);

  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  assert.deepEqual(await exited, { code: 0, signal: null });
  assert.match(output, /emulator stopped/);
});

test('runEmulatorCli: --scenario, --token, --key-file; stops when its signal aborts', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const scenarioFile = join(dir, 'scenario.json');
  const keyFile = join(dir, 'key.json');
  const project = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
  const instance = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
  await writeFile(scenarioFile, JSON.stringify({ instances: [{ projectId: project, id: instance, logins: ['owner'] }] }));

  const stdout = new PassThrough();
  let output = '';
  stdout.on('data', (chunk) => { output += chunk; });
  const stop = new AbortController();
  const running = runEmulatorCli(['--port', '0', '--scenario', scenarioFile, '--token', 'ci-token', '--key-file', keyFile], { stdout, signal: stop.signal });
  while (!output.includes('Press Ctrl+C')) await new Promise((resolve) => setTimeout(resolve, 10));

  const { url, token } = parseBanner(output);
  assert.equal(token, 'ci-token');
  const response = await call({ url }, 'GET', instancePath({ project, instance }), { token: 'ci-token' });
  assert.equal(response.status, 200);
  const key = JSON.parse(await readFile(keyFile, 'utf8'));
  assert.equal(key.credentials.aud, `${url}/token`);

  stop.abort();
  assert.equal(await running, 0);
  await assert.rejects(fetch(url), TypeError, 'the server is closed');
});

test('runEmulatorCli: --help prints usage; bad options exit with 2; a bad scenario with 1', async () => {
  const stdout = new PassThrough();
  let output = '';
  stdout.on('data', (chunk) => { output += chunk; });
  assert.equal(await runEmulatorCli(['--help'], { stdout }), 0);
  assert.match(output, /--time-scale N/);
  const stderrWrite = process.stderr.write;
  process.stderr.write = () => true;
  try {
    assert.equal(await runEmulatorCli(['--bogus']), 2);
    assert.equal(await runEmulatorCli(['--port', 'abc']), 1);
    assert.equal(await runEmulatorCli(['--scenario', '/nonexistent/scenario.json']), 1);
  } finally {
    process.stderr.write = stderrWrite;
  }
});
