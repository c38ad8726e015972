// Where the API is and who we are: connection flags with STACKIT's environment conventions as
// fallbacks, and the credentials (flags first, then the environment / credentials file the package
// reads). Secrets pass straight into the client; nothing here prints or returns them elsewhere.
import { parseSecretJson, readTextFile } from '../node-credentials.js';
import { CredentialsError, UsageError } from './exit-codes.mjs';
import { integerOption } from './args.mjs';

export const DEFAULT_REGION = 'eu01';

/** Flags every command that talks to the API accepts. */
export const CONNECTION_OPTIONS = {
  project: { type: 'string', value: 'ID', help: 'STACKIT project ID (default: $STACKIT_PROJECT_ID)' },
  region: { type: 'string', value: 'REGION', help: `STACKIT region (default: $STACKIT_REGION or ${DEFAULT_REGION})` },
  'api-version': { type: 'string', value: 'VERSION', help: 'v3 (default, global host) or v3alpha1 (regional host)' },
  'base-url': { type: 'string', value: 'URL', help: 'API host, e.g. the emulator http://127.0.0.1:8780' },
  token: { type: 'string', value: 'TOKEN', help: 'bearer token (prefer $STACKIT_SERVICE_ACCOUNT_TOKEN: flags show in ps)' },
  'key-file': { type: 'string', value: 'PATH', help: 'service-account key JSON (default: $STACKIT_SERVICE_ACCOUNT_KEY_PATH)' },
  'private-key-file': { type: 'string', value: 'PATH', help: 'PEM private key, if not inside the key JSON' },
  'token-endpoint': { type: 'string', value: 'URL', help: 'token endpoint of the key flow (default: STACKIT\'s)' },
  'timeout-ms': { type: 'string', value: 'MS', help: 'per-request timeout (default 30000)' },
};

/** Flags → the `validateImport` / client settings that are not credentials. */
export function connectionSettings(values, env) {
  const settings = {
    projectId: values.project ?? env.STACKIT_PROJECT_ID ?? '',
    region: values.region ?? env.STACKIT_REGION ?? DEFAULT_REGION,
  };
  if (values['api-version'] !== undefined) settings.apiVersion = values['api-version'];
  if (values['base-url'] !== undefined) settings.baseUrl = values['base-url'];
  const timeoutMs = integerOption(values, 'timeout-ms');
  if (timeoutMs !== undefined) settings.timeoutMs = timeoutMs;
  return settings;
}

/**
 * The auth options for the client: `--token`, else `--key-file` (+ `--private-key-file`), else
 * what the package's STACKIT conventions find (environment, then ~/.stackit/credentials.json).
 * @param {() => Promise<(env: object) => object>} loadStackitCredentials  the package's reader
 */
export async function resolveAuth(values, env, loadStackitCredentials) {
  const tokenEndpoint = values['token-endpoint'] ?? env.STACKIT_TOKEN_BASEURL;
  if (values.token !== undefined) {
    if (values['key-file'] !== undefined) throw new UsageError('give either --token or --key-file, not both');
    return { token: values.token };
  }
  if (values['key-file'] !== undefined) {
    const auth = { serviceAccountKey: readKeyFile(values['key-file']) };
    if (values['private-key-file'] !== undefined) auth.privateKey = readText(values['private-key-file'], 'private key file');
    if (tokenEndpoint) auth.tokenEndpoint = tokenEndpoint;
    return auth;
  }
  if (values['private-key-file'] !== undefined) throw new UsageError('--private-key-file needs --key-file');
  let found;
  try {
    found = (await loadStackitCredentials())(env);
  } catch (error) {
    // The package's messages name the file, never its content.
    throw new CredentialsError(error.message);
  }
  if (!found.serviceAccountKey && !found.token) {
    throw new CredentialsError('no credentials: pass --key-file or --token, or set STACKIT_SERVICE_ACCOUNT_KEY_PATH, '
      + 'STACKIT_SERVICE_ACCOUNT_KEY or STACKIT_SERVICE_ACCOUNT_TOKEN (also read from ~/.stackit/credentials.json)');
  }
  if (values['token-endpoint'] !== undefined && found.serviceAccountKey) found.tokenEndpoint = values['token-endpoint'];
  return found;
}

const AUTH_FIELD = /^(token|serviceAccountKey|privateKey|tokenEndpoint)\b/;

/** The client; a key or token the package rejects before sending is a credentials problem (exit 3). */
export function createClient(api, settings, auth) {
  try {
    return new api.RestoreClient({ ...settings, ...auth });
  } catch (error) {
    const issues = error?.errors ?? [];
    if (error?.name === 'ValidationError' && issues.length > 0 && issues.every((i) => AUTH_FIELD.test(i.field))) {
      throw new CredentialsError(`unusable credentials: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
    }
    throw error;
  }
}

function readKeyFile(path) {
  const json = parseSecretJson(readText(path, 'service-account key file'));
  // Never echo the content: it holds a private key.
  if (json === null) throw new CredentialsError(`the service-account key file ${path} is not valid JSON`);
  return json.value;
}

function readText(path, what) {
  const read = readTextFile(path);
  if (read.code !== undefined) throw new CredentialsError(`cannot read the ${what} ${path}: ${read.code}`);
  return read.text;
}

/** Which flag sets an input or option field, for messages about validation problems. */
export const CONNECTION_FLAGS = {
  projectId: '--project',
  region: '--region',
  apiVersion: '--api-version',
  baseUrl: '--base-url',
  token: '--token',
  serviceAccountKey: '--key-file',
  privateKey: '--private-key-file',
  tokenEndpoint: '--token-endpoint',
  timeoutMs: '--timeout-ms',
};
