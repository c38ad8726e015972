// Node only: the STACKIT SDKs' credential conventions, used when a client is given no auth at all.
// Order as in STACKIT's SDKs: a service-account key (path or content, with an optional separate
// private key), else a ready token. Values come from the environment, else from the credentials
// file ($STACKIT_CREDENTIALS_PATH, default ~/.stackit/credentials.json) with the same names.
import { createRequire } from 'node:module';
import { join } from 'node:path';

// `require`, not `import`, for node:fs and node:os, and only when credentials are read: an ESM import
// of node:fs builds its whole namespace, which loads fs/promises and streams on every start.
const require = createRequire(import.meta.url);

/**
 * A file's text as `{ text }`, or `{ code }` (the error's code, e.g. ENOENT) when it cannot be read.
 * Shared with the CLI (cli/connection.mjs), which words its own messages.
 */
export function readTextFile(path) {
  try {
    return { text: require('node:fs').readFileSync(path, 'utf8') };
  } catch (error) {
    return { code: error.code ?? error.message };
  }
}

/**
 * `{ value }` of a JSON text, or null when it is not JSON — the caller's message must never echo the
 * content: it may hold a private key. Shared with the CLI.
 */
export function parseSecretJson(text) {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return null;
  }
}

function readJsonFile(path, what) {
  const read = readTextFile(path);
  if (read.code === 'ENOENT' && what === 'credentials file') return null;
  if (read.code !== undefined) throw new Error(`cannot read the ${what} at ${path}: ${read.code}`);
  const json = parseSecretJson(read.text);
  if (json === null) throw new Error(`the ${what} at ${path} is not valid JSON`);
  return json.value;
}

function readText(path, what) {
  const read = readTextFile(path);
  if (read.code !== undefined) throw new Error(`cannot read the ${what} at ${path}: ${read.code}`);
  return read.text;
}

/** `{ serviceAccountKey, privateKey?, tokenEndpoint? }`, `{ token }` or `{}`. */
export function stackitCredentials(env = process.env) {
  const filePath = env.STACKIT_CREDENTIALS_PATH || join(require('node:os').homedir(), '.stackit', 'credentials.json');
  const file = readJsonFile(filePath, 'credentials file') ?? {};
  const get = (name) => env[name] || (typeof file[name] === 'string' ? file[name] : undefined);

  const keyPath = get('STACKIT_SERVICE_ACCOUNT_KEY_PATH');
  const keyText = get('STACKIT_SERVICE_ACCOUNT_KEY');
  const tokenEndpoint = get('STACKIT_TOKEN_BASEURL');
  if (keyPath || keyText) {
    const serviceAccountKey = keyText ?? readJsonFile(keyPath, 'service-account key file');
    const privateKeyPath = get('STACKIT_PRIVATE_KEY_PATH');
    const privateKey = get('STACKIT_PRIVATE_KEY') ?? (privateKeyPath ? readText(privateKeyPath, 'private key file') : undefined);
    return { serviceAccountKey, ...(privateKey ? { privateKey } : {}), ...(tokenEndpoint ? { tokenEndpoint } : {}) };
  }
  const token = get('STACKIT_SERVICE_ACCOUNT_TOKEN');
  return token ? { token } : {};
}
