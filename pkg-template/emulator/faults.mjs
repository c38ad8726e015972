// Fault injection: make the next N matching requests misbehave, to test client retries,
// timeouts and exactly-once behaviour. Scriptable via POST /_emulator/faults or emulator.faults.
//
// Fault spec (JSON):
//   { operation?: "RestoreDatabaseFromBackup",   // operation name (routes.mjs), or
//     method?: "POST", path?: "/v3/**/restores", // glob: * = one path segment, ** = any
//     kind: "status" | "latency" | "stall" | "reset-before" | "reset-after" | "malformed-json" | "fail-restore",
//     status?: 503, retryAfterSeconds?: 2, body?: {...} | "text",   // kind "status"
//     latencyMs?: 1500,                          // kind "latency"; added before any other kind too
//     failureReason?: "…", atPercent?: 40,       // kind "fail-restore": accepted (202), then fails
//     times?: 1 | "always", skip?: 0 }           // apply to the next `times` matches after `skip`

export const FAULT_KINDS = ['status', 'latency', 'stall', 'reset-before', 'reset-after', 'malformed-json', 'fail-restore'];
const SPEC_FIELDS = ['operation', 'method', 'path', 'kind', 'status', 'retryAfterSeconds', 'body', 'latencyMs', 'failureReason', 'atPercent', 'times', 'skip'];

export class FaultSpecError extends Error {}

export class FaultRegistry {
  #faults = [];
  #nextId = 1;

  /** Adds one spec or an array of specs; returns the stored faults (with ids). */
  add(specOrSpecs) {
    const specs = Array.isArray(specOrSpecs) ? specOrSpecs : [specOrSpecs];
    const faults = specs.map((spec) => normalizeFault(spec, this.#nextId++));
    this.#faults.push(...faults);
    return faults.map(describe);
  }

  /**
   * Consumes and returns the first fault of one of `kinds` matching this request, or null.
   * The server takes transport faults before handling; a restore handler takes "fail-restore"
   * only once it really accepts a restore.
   */
  take({ operation, method, path }, kinds = FAULT_KINDS) {
    for (const fault of this.#faults) {
      if (fault.remaining === 0) continue;
      if (!kinds.includes(fault.kind)) continue;
      if (fault.operation && fault.operation !== operation) continue;
      if (fault.method && fault.method !== method) continue;
      if (fault.pathPattern && !fault.pathPattern.test(path)) continue;
      if (fault.skip > 0) {
        fault.skip -= 1;
        continue;
      }
      if (fault.remaining !== Infinity) fault.remaining -= 1;
      fault.applied += 1;
      return fault;
    }
    return null;
  }

  list() {
    return this.#faults.map(describe);
  }

  remove(id) {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    return this.#faults.length < before;
  }

  clear() {
    this.#faults = [];
  }
}

function normalizeFault(spec, id) {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new FaultSpecError('a fault must be an object');
  const unknown = Object.keys(spec).filter((k) => !SPEC_FIELDS.includes(k));
  if (unknown.length) throw new FaultSpecError(`unknown fault field(s): ${unknown.join(', ')}`);
  if (!FAULT_KINDS.includes(spec.kind)) throw new FaultSpecError(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
  if (spec.kind === 'status' && !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599)) {
    throw new FaultSpecError('a "status" fault needs an integer status from 400 to 599');
  }
  if (spec.kind === 'latency' && !(Number.isFinite(spec.latencyMs) && spec.latencyMs >= 0)) {
    throw new FaultSpecError('a "latency" fault needs latencyMs >= 0');
  }
  const times = spec.times ?? 1;
  if (times !== 'always' && !(Number.isInteger(times) && times >= 1)) throw new FaultSpecError('times must be a positive integer or "always"');
  const skip = spec.skip ?? 0;
  if (!(Number.isInteger(skip) && skip >= 0)) throw new FaultSpecError('skip must be an integer >= 0');
  for (const field of ['operation', 'method', 'path', 'failureReason']) {
    if (spec[field] !== undefined && typeof spec[field] !== 'string') throw new FaultSpecError(`${field} must be a string`);
  }
  return {
    id,
    kind: spec.kind,
    operation: spec.operation ?? null,
    method: spec.method ? spec.method.toUpperCase() : null,
    path: spec.path ?? null,
    pathPattern: spec.path ? globToRegExp(spec.path) : null,
    status: spec.status ?? null,
    retryAfterSeconds: spec.retryAfterSeconds ?? (spec.status === 429 ? 1 : null),
    body: spec.body,
    latencyMs: spec.latencyMs ?? 0,
    failureReason: spec.failureReason ?? 'restore failed (injected fault)',
    atPercent: Math.min(100, Math.max(0, spec.atPercent ?? 100)),
    times,
    remaining: times === 'always' ? Infinity : times,
    skip,
    applied: 0,
  };
}

function describe(fault) {
  const { pathPattern, remaining, ...rest } = fault;
  return { ...rest, remaining: remaining === Infinity ? 'always' : remaining };
}

/** `*` matches one path segment, `**` any number of characters (including `/`). */
export function globToRegExp(glob) {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    if (glob[i] === '*' && glob[i + 1] === '*') {
      source += '.*';
      i += 1;
    } else if (glob[i] === '*') {
      source += '[^/]*';
    } else {
      source += glob[i].replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
