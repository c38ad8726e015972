// Records API and token requests for GET /_emulator/requests, with secrets masked
// (Authorization, s3_access_secret, JWT assertions, private keys). Nothing unmasked is kept.

const MASK = '***';
const SECRET_JSON_KEYS = new Set(['s3_access_secret', 'privateKey', 'private_key', 'password', 'access_token', 'refresh_token', 'assertion', 'client_secret']);
const SECRET_FORM_KEYS = ['assertion', 'client_secret', 'password', 'refresh_token'];
const SECRET_HEADERS = ['cookie', 'x-amz-security-token', 'proxy-authorization'];
const MAX_RECORDED = 10_000;
const MAX_RAW_BODY_CHARS = 65_536;

export class RequestRecorder {
  #entries = [];
  #nextSeq = 1;

  /** Records one request; the returned entry is updated later with the outcome (status, fault). */
  record({ method, path, operation, headers, rawBody, nowMs, traceId }) {
    const entry = {
      seq: this.#nextSeq++,
      time: new Date(nowMs).toISOString(),
      method,
      path,
      operation,
      headers: maskHeaders(headers),
      body: maskBody(rawBody, headers['content-type']),
      traceId,
      status: null,
      fault: null,
    };
    this.#entries.push(entry);
    if (this.#entries.length > MAX_RECORDED) this.#entries.shift();
    return entry;
  }

  list({ operation, method } = {}) {
    return this.#entries
      .filter((e) => (!operation || e.operation === operation) && (!method || e.method === method.toUpperCase()))
      .map((e) => structuredClone(e));
  }

  clear() {
    this.#entries = [];
  }
}

export function maskHeaders(headers) {
  const masked = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'authorization') {
      const scheme = /^(\S+)\s/.exec(String(value))?.[1];
      masked[name] = scheme ? `${scheme} ${MASK}` : MASK;
    } else if (SECRET_HEADERS.includes(name)) {
      masked[name] = MASK;
    } else {
      masked[name] = value;
    }
  }
  return masked;
}

/** JSON bodies come back as masked objects, forms and other text as masked strings, empty as null. */
export function maskBody(rawBody, contentType = '') {
  if (!rawBody) return null;
  if (String(contentType).toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(rawBody);
    for (const key of SECRET_FORM_KEYS) if (form.has(key)) form.set(key, MASK);
    return form.toString().replaceAll(encodeURIComponent(MASK), MASK);
  }
  try {
    return maskJson(JSON.parse(rawBody));
  } catch {
    return maskText(rawBody.slice(0, MAX_RAW_BODY_CHARS));
  }
}

function maskJson(value) {
  if (Array.isArray(value)) return value.map(maskJson);
  if (typeof value !== 'object' || value === null) return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) out[key] = SECRET_JSON_KEYS.has(key) ? MASK : maskJson(inner);
  return out;
}

/** Masks secrets in text that is not valid JSON (e.g. a truncated body). */
function maskText(text) {
  let masked = text;
  for (const key of SECRET_JSON_KEYS) {
    masked = masked.replace(new RegExp(`("${key}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"?`, 'g'), `$1"${MASK}"`);
  }
  for (const key of SECRET_FORM_KEYS) masked = masked.replace(new RegExp(`(^|&)${key}=[^&]*`, 'g'), `$1${key}=${MASK}`);
  return masked;
}
