#!/usr/bin/env node
// The package's command line: `npx sqlserverflex-restore <command>`.
import { readFileSync } from 'node:fs';

const usage = `Usage: sqlserverflex-restore <command> [options]

Commands:
  emulator [--port N] [--host H] [--scenario file.json] [--time-scale N]
                 run the local SQLServer Flex API emulator
  --version      print the version
  --help         print this help`;

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
    console.log(version);
    return 0;
  }
  if (command === 'emulator') {
    const { runEmulatorCli } = await import('./emulator/cli.mjs');
    return runEmulatorCli(rest);
  }
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(usage);
    return command === undefined ? 2 : 0;
  }
  console.error(`unknown command: ${command}\n\n${usage}`);
  return 2;
}

const code = await main(process.argv.slice(2));
if (typeof code === 'number') process.exitCode = code;
