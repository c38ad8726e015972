// Running the real CLI (`node pkg/cli.mjs …`) as a child process, asynchronously, so an emulator in
// this process keeps answering while the CLI talks to it.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
export const cliPath = join(root, 'pkg', 'cli.mjs');

/** An environment without the developer's STACKIT/S3/AWS settings or credentials file. */
export function cleanEnv(extra = {}) {
  const home = mkdtempSync(join(tmpdir(), 'ssfr-cli-home-'));
  const env = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8' };
  return { ...env, ...extra };
}

/**
 * @param {string[]} args
 * @param {{ env?: object, onOutput?: (child, text: { stdout: string, stderr: string }) => void, timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number | null, signal: string | null, stdout: string, stderr: string }>}
 */
export function runCli(args, { env = cleanEnv(), onOutput, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const text = { stdout: '', stderr: '' };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI timed out: ${args.join(' ')}\n${text.stdout}\n${text.stderr}`));
    }, timeoutMs);
    for (const stream of ['stdout', 'stderr']) {
      child[stream].setEncoding('utf8');
      child[stream].on('data', (chunk) => {
        text[stream] += chunk;
        onOutput?.(child, text);
      });
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ...text });
    });
  });
}

/** Connection flags for an emulator with its default project and token. */
export function emulatorFlags(emulatorUrl) {
  return ['--base-url', emulatorUrl, '--project', '11111111-1111-4111-8111-111111111111', '--region', 'eu01'];
}
