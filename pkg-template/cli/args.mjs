// Flag parsing (node:util parseArgs, strict) and help text generated from the same option specs,
// so a flag cannot exist without being documented.
import { parseArgs } from 'node:util';
import { UsageError } from './exit-codes.mjs';

/**
 * @typedef {{ type: 'string' | 'boolean', multiple?: boolean, short?: string, value?: string, help: string }} OptionSpec
 */

/** `{ values, positionals }`; unknown flags, missing values and stray words are UsageErrors. */
export function parseOptions(argv, specs, { positionals: allowed = 0 } = {}) {
  const options = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.type };
    if (spec.multiple) options[name].multiple = true;
    if (spec.short) options[name].short = spec.short;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs messages name the flag and never echo other arguments' values.
    throw new UsageError(error.message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  if (parsed.positionals.length > allowed) {
    throw new UsageError(`unexpected argument: ${parsed.positionals[allowed]}`);
  }
  return parsed;
}

/**
 * Help text: synopsis, description, then one block per option group.
 * @param {{ synopsis: string, description: string, groups: [string, Record<string, OptionSpec>][], footer?: string }} help
 */
export function formatHelp({ synopsis, description, groups, footer }) {
  const lines = [`Usage: ${synopsis}`, '', description];
  for (const [title, specs] of groups) {
    lines.push('', `${title}:`);
    for (const [name, spec] of Object.entries(specs)) {
      const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
      const left = `  ${flag}`;
      if (left.length < 28) lines.push(`${left.padEnd(28)}${spec.help}`);
      else lines.push(left, `${' '.repeat(28)}${spec.help}`);
    }
  }
  if (footer) lines.push('', footer);
  return `${lines.join('\n')}\n`;
}

/** A positive whole number of milliseconds from a flag, or undefined. */
export function integerOption(values, name) {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  return value;
}

/** Durations like `90s`, `30m`, `6h`, `1h30m` or plain seconds, in milliseconds. */
export function durationOption(values, name) {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = raw.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const match = rest.match(/^(\d+(?:\.\d+)?)(ms|s|m|h|d)/);
    if (!match) throw new UsageError(`--${name} must be a duration like 90s, 30m or 6h, got "${raw}"`);
    total += Number(match[1]) * units[match[2]];
    rest = rest.slice(match[0].length);
  }
  return Math.round(total);
}

/** Flags a command cannot run without. */
export function requireFlags(values, names) {
  const missing = names.filter((name) => values[name] === undefined || values[name] === '');
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((n) => `--${n}`).join(', ')}`);
}
