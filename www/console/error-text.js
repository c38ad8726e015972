// Errors as people read them: what happened, the package's code and HTTP status, the trace id to
// quote to support, and a hint for the usual causes. Never a stack trace; the package keeps
// secrets out of messages, and nothing here adds any.
import { h, replaceChildren, show } from './dom.js';

const TITLES = {
  ValidationError: 'The input is not valid; nothing was sent',
  AuthError: 'The credentials were refused',
  NotFoundError: 'Not found',
  ConflictError: 'The service refused: conflict',
  RateLimitError: 'Too many requests',
  ApiError: 'The API answered with an error',
  NetworkError: 'The request did not reach the API',
  TimeoutError: 'The API did not answer in time',
  PreflightError: 'The backup check found problems; nothing was sent',
};

function hint(error, target) {
  switch (error?.name) {
    case 'NetworkError':
      if (target === 's3') {
        return 'The bucket must allow this page\'s origin (a CORS rule for GET and PUT with the Range, Authorization '
          + 'and x-amz-* headers, exposing Content-Range and ETag), or run it from Node: npx sqlserverflex-restore.';
      }
      if (target === 'stackit') {
        return 'Browsers may only call APIs that allow the page\'s origin (CORS). If STACKIT does not, use a relay '
          + '(examples/relay), which also keeps the key out of the browser.';
      }
      return target === 'emulator' ? 'Is the emulator running at this URL? (npm start prints it.)' : 'Is the relay running and does it allow this page\'s origin?';
    case 'AuthError':
      return 'Check the token or key (expired, wrong project, missing role).';
    case 'ConflictError':
      return 'The target database may exist already, or a restore of it is running.';
    case 'RateLimitError':
      return 'Wait a moment and try again.';
    default:
      return null;
  }
}

/** `{ title, message, tags, traceId, hint }` for an error. */
export function describeError(error, target) {
  const tags = [error?.code, error?.status ? `HTTP ${error.status}` : null].filter(Boolean);
  let message = error?.message ?? String(error);
  if (error?.name === 'ValidationError' && Array.isArray(error.errors) && error.errors.length > 0) {
    message = error.errors.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  }
  for (const problem of error?.validation ?? []) message += `; ${problem.field}: ${problem.message}`;
  return {
    title: TITLES[error?.name] ?? 'Something went wrong',
    message,
    tags,
    traceId: error?.traceId ?? null,
    hint: hint(error, target),
  };
}

/** Fills a `.message-error` box with an error and shows it (or hides it for `null`). */
export function showError(box, error, target) {
  if (!error) {
    show(box, false);
    replaceChildren(box);
    return;
  }
  const text = describeError(error, target);
  replaceChildren(box,
    h('p', { class: 'message-title' }, text.title, text.tags.length ? ` (${text.tags.join(', ')})` : ''),
    h('p', {}, text.message),
    text.traceId ? h('p', {}, 'Trace id: ', h('code', {}, text.traceId)) : null,
    text.hint ? h('p', { class: 'hint' }, text.hint) : null);
  show(box, true);
}
