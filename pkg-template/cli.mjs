#!/usr/bin/env node
// The package's command line: `npx sqlserverflex-restore <command>` (see `--help`, cli/main.mjs).
import { main } from './cli/main.mjs';

process.exitCode = await main(process.argv.slice(2));
