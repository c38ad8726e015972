// Waiting for a restore to end (shared by `import --wait` and `wait`): progress while it runs, then
// the final state and its exit code. Stopping the wait never stops the restore — the API has no
// cancel — so every way out before the end says how to pick it up again.
import { EXIT } from './exit-codes.mjs';
import { formatDuration } from '../format.js';
import { createProgressReporter } from './progress.mjs';

/** The command that resumes waiting (connection flags as before). */
export function resumeCommand(instanceId, databaseName) {
  return `sqlserverflex-restore wait --instance ${instanceId} --database ${databaseName}`;
}

/**
 * @param {{ client: object, instanceId: string, databaseName: string, out: import('./output.mjs').Output,
 *   progressMode: 'bar' | 'lines' | 'none', signal: AbortSignal, waitOptions?: object }} options
 * @returns {Promise<{ result: object, exitCode: number }>}
 */
export async function followRestore({ client, instanceId, databaseName, out, progressMode, signal, waitOptions = {} }) {
  const reporter = createProgressReporter({ mode: progressMode, stream: out.stderr });
  let result;
  try {
    result = await client.waitForRestore({ instanceId, databaseName }, { ...waitOptions, signal, onProgress: (event) => reporter.update(event) });
  } catch (error) {
    reporter.finish();
    if (error?.name !== 'AbortError') throw error;
    result = { state: 'ABORTED', databaseName, elapsedMs: NaN, polls: NaN };
  }
  const waited = formatDuration(result.elapsedMs);
  switch (result.state) {
    case 'SUCCEEDED': {
      reporter.finish({ percent: 100, estimatedCompletion: null, elapsedMs: result.elapsedMs, done: true });
      const db = result.database;
      const details = db ? ` (owner ${db.owner}, compatibility level ${db.compatibilityLevel}, collation ${db.collationName})` : '';
      out.line(`SUCCEEDED: database ${databaseName} restored${details}; waited ${waited}`);
      return { result, exitCode: EXIT.OK };
    }
    case 'FAILED':
      reporter.finish();
      out.line(`FAILED: the restore of ${databaseName} ended and the database does not exist; waited ${waited}`);
      out.note('  the instance\'s logs (searchable by the logging GUID) tell why');
      return { result, exitCode: EXIT.RESTORE_FAILED };
    case 'TIMEOUT':
      reporter.finish();
      out.line(`TIMEOUT: ${databaseName} is still being restored after ${waited}`);
      out.note(`  the restore continues server-side; keep waiting with: ${resumeCommand(instanceId, databaseName)}`);
      return { result, exitCode: EXIT.RESTORE_FAILED };
    default:
      reporter.finish();
      out.note(`stopped waiting (interrupted). The restore of ${databaseName} continues server-side;`);
      out.note(`  follow it with: ${resumeCommand(instanceId, databaseName)}`);
      return { result: { ...result, state: 'ABORTED' }, exitCode: EXIT.ABORTED };
  }
}
