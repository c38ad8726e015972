// `import --plan FILE`: many databases in one run. A plan is JSON or CSV; each row names a database,
// its owner, and either its backup files or a prefix to discover the newest backup set under.
// Every row is read and checked here for shape (the package validates the rest), and every
// problem of every row is reported at once, before anything is sent.
//
// JSON: `[{ "database": "sales", "owner": "app", "files": ["sales.bak"] }, …]`, or
//       `{ "defaults": { "instance": "…", "bucket": "s3://…", "owner": "app" }, "rows": [ … ] }`.
// CSV:  a header line naming the columns (database, owner, files, discover, instance, bucket,
//       logging_guid, in any order), then one row per database; `files` separated by `;` or `|`.

const COLUMNS = ['database', 'owner', 'files', 'discover', 'instance', 'bucket', 'logging_guid'];
const ALIASES = { loggingGuid: 'logging_guid', file: 'files', 'logging-guid': 'logging_guid' };

/**
 * @param {string} text  the plan file's content
 * @param {string} name  its file name (a `.csv` name, or text that does not start with `[`/`{`, is CSV)
 * @returns {{ rows: PlanRow[], problems: string[] }}
 * @typedef {{ row: number, database?: string, owner?: string, files?: string[], discover?: string,
 *   instance?: string, bucket?: string, loggingGuid?: string }} PlanRow
 */
export function parsePlan(text, name = '') {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  const isJson = !name.toLowerCase().endsWith('.csv') && /^[[{]/.test(trimmed);
  const { records, problems } = isJson ? jsonRecords(trimmed) : csvRecords(trimmed);
  const rows = [];
  for (const [index, record] of records.entries()) {
    const row = { row: index + 1 };
    for (const [key, value] of Object.entries(record)) {
      const column = ALIASES[key] ?? key;
      if (!COLUMNS.includes(column)) {
        problems.push(`row ${row.row}: unknown column ${JSON.stringify(key)} (known: ${COLUMNS.join(', ')})`);
        continue;
      }
      if (value === undefined || value === null || value === '') continue;
      if (column === 'files') {
        const files = Array.isArray(value) ? value : String(value).split(/[;|]/);
        const named = files.map((file) => String(file).trim()).filter(Boolean);
        if (named.length > 0) row.files = named;
      } else if (typeof value !== 'string') {
        problems.push(`row ${row.row}: ${column} must be text`);
      } else {
        row[column === 'logging_guid' ? 'loggingGuid' : column] = value.trim();
      }
    }
    if (!row.database) problems.push(`row ${row.row}: database is required`);
    if (row.files && row.discover) problems.push(`row ${row.row}: give files or discover, not both`);
    if (!row.files && !row.discover) problems.push(`row ${row.row}: give files or discover`);
    rows.push(row);
  }
  const seen = new Map();
  for (const row of rows) {
    const key = `${row.instance ?? ''}/${(row.database ?? '').toLowerCase()}`;
    if (row.database && seen.has(key)) problems.push(`row ${row.row}: database ${row.database} is also row ${seen.get(key)}`);
    else seen.set(key, row.row);
  }
  if (rows.length === 0 && problems.length === 0) problems.push('the plan has no rows');
  const rowOf = (problem) => Number(/^row (\d+)/.exec(problem)?.[1] ?? 0);
  return { rows, problems: problems.sort((a, b) => rowOf(a) - rowOf(b)) };
}

function jsonRecords(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { records: [], problems: [`the plan is not valid JSON (${error.message})`] };
  }
  const defaults = Array.isArray(value) ? {} : value?.defaults ?? {};
  const list = Array.isArray(value) ? value : value?.rows;
  if (!Array.isArray(list)) return { records: [], problems: ['a JSON plan is an array of rows, or { "defaults": {…}, "rows": [ … ] }'] };
  const problems = [];
  if (typeof defaults !== 'object' || Array.isArray(defaults)) problems.push('"defaults" must be an object');
  const records = list.map((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`row ${index + 1}: must be an object`);
      return {};
    }
    return { ...defaults, ...item };
  });
  return { records, problems };
}

function csvRecords(text) {
  const lines = parseCsv(text).filter((fields) => fields.some((field) => field.trim() !== ''));
  if (lines.length === 0) return { records: [], problems: [] };
  const header = lines[0].map((field) => field.trim());
  const problems = [];
  const records = lines.slice(1).map((fields, index) => {
    if (fields.length > header.length) problems.push(`row ${index + 1}: ${fields.length} fields, the header names ${header.length}`);
    return Object.fromEntries(header.map((column, i) => [column, fields[i]?.trim() ?? '']));
  });
  return { records, problems };
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text) {
  const lines = [];
  let fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      fields.push(field);
      lines.push(fields);
      fields = [];
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  lines.push(fields);
  return lines;
}
