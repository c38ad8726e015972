// Option groups several commands share.
import { durationOption, integerOption } from '../args.mjs';
import { UsageError } from '../exit-codes.mjs';

export const WAIT_OPTIONS = {
  'max-wait': { type: 'string', value: 'DURATION', help: 'stop waiting after e.g. 90m or 6h (default 6h; exit 1, the restore goes on)' },
  'min-poll-ms': { type: 'string', value: 'MS', help: 'shortest gap between polls (default 2000)' },
  'max-poll-ms': { type: 'string', value: 'MS', help: 'longest gap between polls (default 60000)' },
  progress: { type: 'string', value: 'MODE', help: 'auto (bar on a terminal, lines otherwise), bar, lines or none' },
};

export const OUTPUT_OPTIONS = {
  json: { type: 'boolean', help: 'print the result as JSON on stdout (messages and progress go to stderr)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

/** waitForRestore options from the flags. */
export function waitSettings(values) {
  if (values.progress !== undefined && !['auto', 'bar', 'lines', 'none'].includes(values.progress)) {
    throw new UsageError(`--progress must be auto, bar, lines or none, got "${values.progress}"`);
  }
  const settings = {};
  const maxWaitMs = durationOption(values, 'max-wait');
  if (maxWaitMs !== undefined) settings.maxWaitMs = maxWaitMs;
  const minDelayMs = integerOption(values, 'min-poll-ms');
  if (minDelayMs !== undefined) settings.minDelayMs = minDelayMs;
  const maxDelayMs = integerOption(values, 'max-poll-ms');
  if (maxDelayMs !== undefined) settings.maxDelayMs = maxDelayMs;
  return settings;
}
