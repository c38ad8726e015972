// Dispatch of `sqlserverflex-restore <command> …`: global flags, per-command parsing and help, and
// the one place where a thrown error becomes a message and an exit code.
import { readFileSync } from 'node:fs';
import { formatHelp, parseOptions } from './args.mjs';
import { EXIT, exitCodeFor } from './exit-codes.mjs';
import { Output } from './output.mjs';
import importCommand from './commands/import.mjs';
import waitCommand from './commands/wait.mjs';
import jobsCommand from './commands/jobs.mjs';
import backupsCommand from './commands/backups.mjs';
import inspectCommand from './commands/inspect.mjs';
import uploadCommand from './commands/upload.mjs';
import emulatorCommand from './commands/emulator.mjs';

const COMMANDS = [importCommand, waitCommand, jobsCommand, backupsCommand, inspectCommand, uploadCommand, emulatorCommand];

function packageVersion() {
  return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
}

function overview() {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 4;
  return [
    'Usage: sqlserverflex-restore <command> [options]',
    '',
    'Import SQL Server .bak backups from S3 into STACKIT SQLServer Flex, and watch restores.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Options:',
    `  ${'--version'.padEnd(width)}print the version`,
    `  ${'--help'.padEnd(width)}print this help; \`sqlserverflex-restore <command> --help\` for a command's flags`,
    '',
    'Exit codes: 0 success, 1 restore failed, 2 usage/validation, 3 auth, 4 API/network, 130 Ctrl-C.',
    '',
  ].join('\n');
}

/**
 * @param {string[]} argv  the arguments after the program name
 * @param {{ stdout?: NodeJS.WritableStream, stderr?: NodeJS.WritableStream, env?: Record<string, string | undefined> }} [io]
 * @returns {Promise<number>} the exit code
 */
export async function main(argv, { stdout = process.stdout, stderr = process.stderr, env = process.env } = {}) {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    stdout.write(`${packageVersion()}\n`);
    return EXIT.OK;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? stderr : stdout).write(overview());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    stderr.write(`unknown command: ${name}\n\n${overview()}`);
    return EXIT.USAGE;
  }
  if (command.passThrough) return command.run({ argv: rest });

  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  if (wantsHelp) {
    stdout.write(formatHelp(command.help));
    return EXIT.OK;
  }
  const out = new Output({ stdout, stderr, json: rest.includes('--json') });
  try {
    const { values, positionals } = command.anyArguments
      ? { values: {}, positionals: rest }
      : parseOptions(rest, command.options, { positionals: command.positionals ?? 0 });
    return await command.run({
      values, positionals, out, env,
      loadPackage: () => import('../node.mjs'),
      // The core's rules the CLI shares with the client (refusal, object naming); loaded with the package.
      loadInternals: async () => {
        await import('../node.mjs');
        return (await import('../api.js')).default;
      },
      loadCredentials: async () => (await import('../node-credentials.js')).stackitCredentials,
    });
  } catch (error) {
    out.error(error, command.flagFor);
    if (error?.name === 'UsageError') out.note(`see: sqlserverflex-restore ${command.name} --help`);
    return exitCodeFor(error);
  }
}
