// Everything the CLI prints. Results go to stdout (one JSON document with --json); messages,
// warnings, progress and errors go to stderr, so `--json` output stays parseable. Errors show
// name, code, HTTP status and trace id — never a stack trace or a secret.

export class Output {
  /** @param {{ stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, json?: boolean }} io */
  constructor({ stdout, stderr, json = false }) {
    this.stdout = stdout;
    this.stderr = stderr;
    this.json = json;
  }

  /** A human line of the result (skipped with --json). */
  line(text = '') {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  /** A note for people: stderr, also with --json. */
  note(text) {
    this.stderr.write(`${text}\n`);
  }

  warn(text) {
    this.stderr.write(`warning: ${text}\n`);
  }

  /** The machine-readable result (only with --json). */
  result(value) {
    if (this.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Reports a failure: human lines on stderr; with --json also `{ "error": … }` on stdout. */
  error(error, flagFor = (field) => field) {
    for (const text of describeError(error, flagFor)) this.stderr.write(`${text}\n`);
    if (this.json) this.stdout.write(`${JSON.stringify({ error: errorData(error) }, null, 2)}\n`);
  }
}

/** Human lines for an error: the first one says what failed; issues are listed below it. */
export function describeError(error, flagFor = (field) => field) {
  if (error?.name === 'ValidationError') {
    const lines = ['error: invalid input (nothing was sent):'];
    for (const issue of error.errors ?? []) lines.push(`  ${issueText(issue, flagFor)}`);
    if ((error.errors ?? []).length === 0) lines.push(`  ${error.message}`);
    return lines;
  }
  const tags = [error?.code, error?.status ? `HTTP ${error.status}` : undefined].filter(Boolean);
  const lines = [`error: ${error?.message ?? String(error)}${tags.length ? ` [${tags.join(', ')}]` : ''}`];
  if (error?.traceId) lines.push(`  trace id: ${error.traceId}`);
  for (const problem of error?.validation ?? []) lines.push(`  ${problem.field}: ${problem.message}`);
  return lines;
}

/** `--database (databaseName): master is a SQL Server system database … [reserved_name]` */
export function issueText(issue, flagFor = (field) => field) {
  const flag = flagFor(issue.field);
  const where = flag && flag !== issue.field ? `${flag} (${issue.field})` : issue.field;
  return `${where}: ${issue.message} [${issue.code}]`;
}

/** The JSON form of an error: the documented fields only (no stack, no cause chain). */
export function errorData(error) {
  const data = { name: error?.name ?? 'Error', code: error?.code ?? 'ERROR', message: error?.message ?? String(error) };
  for (const key of ['status', 'traceId', 'retryable', 'attempts', 'errors', 'warnings', 'validation', 'path', 'feature', 'report']) {
    if (error?.[key] !== undefined) data[key] = error[key];
  }
  return data;
}

/** A plain text table: columns padded to the widest cell, the last one left free. */
export function formatTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const render = (cells) => cells.map((c, i) => (i === cells.length - 1 ? String(c) : String(c).padEnd(widths[i]))).join('  ').trimEnd();
  return [render(headers), ...rows.map(render)].join('\n');
}
