// Node only: the STACKIT SDKs' credential conventions, used when a client is given no auth at all.
// Order as in STACKIT's SDKs: a service-account key (path or content, with an optional separate
// private key), else a ready token. Values come from the environment, else from the credentials
// file ($STACKIT_CREDENTIALS_PATH, default ~/.stackit/credentials.json) with the same names.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

function readJsonFile(path, what) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT' && what === 'credentials file') return null;
    throw new Error(`cannot read the ${what} at ${path}: ${error.code ?? error.message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // Never echo the content: it may hold a private key.
    throw new Error(`the ${what} at ${path} is not valid JSON`);
  }
}

function readText(path, what) {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the ${what} at ${path}: ${error.code ?? error.message}`);
  }
}

/** `{ serviceAccountKey, privateKey?, tokenEndpoint? }`, `{ token }` or `{}`. */
export function stackitCredentials(env = process.env) {
  const filePath = env.STACKIT_CREDENTIALS_PATH || join(homedir(), '.stackit', 'credentials.json');
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
