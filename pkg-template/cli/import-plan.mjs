// `import --plan FILE`: the rows of a plan through `client.importMany` — every row checked first
// (all problems at once, exit 2, nothing sent), discovered and preflighted, triggered with at most
// --concurrency restores per instance, followed, and summed up in one table (or --json). With
// --record FILE the records are written as they change; running the same command again skips the
// rows that SUCCEEDED and follows the ones already triggered instead of triggering them again.
import { readFileSync } from 'node:fs';
import { EXIT, UsageError } from './exit-codes.mjs';
import { formatDuration } from '../format.js';
import { formatTable, issueText } from './output.mjs';
import { parsePlan } from './plan.mjs';
import { readRecords, withRecord, writeRecords } from './record-file.mjs';

/**
 * @param {{ api: object, connect: () => Promise<object>, values: object, out: import('./output.mjs').Output,
 *   signal: AbortSignal, waitOptions: object, inputFor: (row: object) => object,
 *   discover: (client: object, input: object, prefix: string) => Promise<{ number: number, path: string }[]> }} context
 * @returns {Promise<number>} the exit code
 */
export async function runPlan({ api, connect, values, out, signal, waitOptions, inputFor, discover }) {
  let text;
  try {
    text = readFileSync(values.plan, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the plan ${values.plan}: ${error.code ?? error.message}`);
  }
  const plan = parsePlan(text, values.plan);
  if (plan.problems.length > 0) throw new UsageError(`the plan ${values.plan} has problems; nothing was sent:\n  ${plan.problems.join('\n  ')}`);
  // Every row's own problems, all at once, before anything is sent (files of --discover rows come later).
  const problems = [];
  const inputs = plan.rows.map((row) => {
    try {
      return inputFor(row);
    } catch (error) {
      problems.push(`row ${row.row} (${row.database ?? 'no database'}): ${error.message}`);
      return null;
    }
  });
  inputs.forEach((input, index) => {
    if (input === null) return;
    const discovering = plan.rows[index].discover !== undefined;
    for (const issue of api.validateImport(input).errors) {
      if (discovering && issue.field.startsWith('s3.files')) continue;
      problems.push(`row ${index + 1} (${input.databaseName || 'no database'}): ${issueText(issue, (field) => field)}`);
    }
  });
  if (problems.length > 0) {
    throw new api.ValidationError(`the plan has ${problems.length} problem(s); nothing was sent:\n  ${problems.join('\n  ')}`, { code: 'VALIDATION_ERROR' });
  }

  const client = await connect();
  for (const [index, row] of plan.rows.entries()) {
    if (row.discover === undefined) continue;
    inputs[index].s3.files = await discover(client, inputs[index], row.discover);
  }

  let records = values.record ? readRecords(values.record) : [];
  const save = (record) => {
    if (!values.record || !record) return;
    records = withRecord(records, record);
    writeRecords(values.record, records);
  };
  const shown = new Map();
  const { rows } = await client.importMany(inputs, {
    ...waitOptions, signal, records, concurrency: values.concurrency === undefined ? 1 : Number(values.concurrency),
    preflight: !values['no-preflight'], force: values.force === true, wait: values.wait === true,
    onProgress: (event) => {
      const name = `row ${event.row} ${event.databaseName}`;
      if (event.phase === 'triggered' || event.phase === 'resumed' || event.phase === 'done') save(event.record);
      if (event.phase === 'progress') {
        // One line per 10 % step: many restores at once would flood a terminal with bars.
        const step = Math.floor(event.percent / 10);
        if (shown.get(event.row) === step) return;
        shown.set(event.row, step);
        out.note(`${name}: ${event.percent} %`);
      } else if (event.phase === 'triggered') out.note(`${name}: triggered (trace id ${event.traceId ?? '–'})`);
      else if (event.phase === 'resumed') out.note(`${name}: already triggered by an earlier run, following it`);
      else if (event.phase === 'skipped') out.note(`${name}: SUCCEEDED in an earlier run, skipped`);
      else if (event.phase === 'busy') out.note(`${name}: the instance runs ${event.running.join(', ')}; trying again in ${formatDuration(event.retryInMs)}`);
      else if (event.phase === 'done') out.note(`${name}: ${event.state}`);
    },
  });

  out.line(formatTable(['row', 'database', 'state', 'duration', 'trace id'], rows.map((row) => [
    String(row.row), row.databaseName, row.skipped ? `${row.state} (earlier run)` : row.state,
    row.durationMs > 0 ? formatDuration(row.durationMs) : '–', row.traceId ?? '–',
  ])));
  for (const row of rows) if (row.error) out.note(`row ${row.row} ${row.databaseName}: ${row.error}`);
  out.result({ rows, ...(values.record ? { recordFile: values.record } : {}) });
  return exitCodeOf(rows);
}

/** The worst row decides: aborted, then API errors, refused by the preflight, failed restores. */
function exitCodeOf(rows) {
  const states = new Set(rows.map((row) => row.state));
  if (states.has('ABORTED')) return EXIT.ABORTED;
  if (states.has('ERROR')) return EXIT.API;
  if (states.has('REFUSED')) return EXIT.PREFLIGHT;
  if (states.has('FAILED') || states.has('TIMEOUT')) return EXIT.RESTORE_FAILED;
  return EXIT.OK;
}
