// An import that outlives any one invocation: a Cloudflare Workflow (durable steps, sleeps between
// them) that preflights the backup and the instance, triggers the restore exactly once, follows it
// with one `checkRestore` poll per step until it ends, and returns a summary.
//
// Why a Workflow: a restore runs for minutes to hours, a Worker invocation for seconds. Workflows
// persist each step's result and re-run only unfinished steps, so the wait survives restarts.
// Step results are stored by the platform: they hold no secret (the S3 key and the service-account
// key come from Worker secrets in every step, never from the event payload or a step result).
//
// Bindings (wrangler.toml in README.md): STACKIT_SERVICE_ACCOUNT_KEY (secret; or
// STACKIT_SERVICE_ACCOUNT_TOKEN), S3_ACCESS_KEY and S3_SECRET_KEY (secrets), STACKIT_PROJECT_ID,
// STACKIT_REGION, optional STACKIT_API_BASE_URL / STACKIT_TOKEN_BASEURL (the emulator in tests),
// optional S3_ENDPOINT (the preflight's reads go there instead of the bucket address's host),
// optional RESTORE_CLIENT_OPTIONS (JSON: timeoutMs, maxRetries, retry), and the workflow binding
// RESTORE_WORKFLOW.
import { WorkflowEntrypoint } from 'cloudflare:workers';
import { NonRetryableError } from 'cloudflare:workflows';
import { RestoreClient } from 'sqlserverflex-restore';

/** The trigger step's retries: a dropped connection after the POST is retried without a second POST. */
const TRIGGER_RETRIES = { limit: 4, delay: '5 seconds', backoff: 'exponential' };
const FINAL_STATES = ['SUCCEEDED', 'FAILED', 'TIMEOUT'];
/** Workflows cap the steps of one instance; a restore polled this often ends long before. */
const MAX_CHECKS = 500;

export class RestoreWorkflow extends WorkflowEntrypoint {
  /** @param {{ payload: ImportParams }} event */
  async run(event, step) {
    const params = readParams(event.payload);
    const target = { instanceId: params.instanceId, databaseName: params.databaseName };

    // 1. Will it work? Backup headers in S3 and the instance (state, target, owner, version, storage).
    const preflight = await step.do('preflight', async () => {
      const input = this.#importInput(params);
      // An S3-compatible endpoint other than the bucket address's host (a local S3 in tests).
      if (this.env.S3_ENDPOINT) input.s3.endpoint = this.env.S3_ENDPOINT;
      const result = await this.#client().preflight(input, { skip: params.skip ?? [] });
      const findings = result.report.findings.map(({ code, severity, message }) => ({ code, severity, message }));
      if (result.report.verdict === 'error' && !params.force) {
        // Retrying cannot fix a wrong backup or target: end the workflow with the reasons.
        throw new NonRetryableError(`preflight found problems, nothing was triggered: ${findings
          .filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`).join('; ')}`);
      }
      return { verdict: result.report.verdict, findings };
    });

    // 2. Trigger exactly once, even when this step is retried after the POST reached the service
    //    (a dropped connection, an evicted isolate): a retry first looks for the restore it may have
    //    started and only POSTs when there is none.
    const trigger = await step.do('trigger', { retries: TRIGGER_RETRIES }, async () => {
      const client = this.#client();
      const found = await client.checkRestore(target);
      if (found.state === 'RUNNING' || found.state === 'SUCCEEDED') {
        return { record: null, resume: found.resume, foundStarted: true };
      }
      const accepted = await client.importFromS3(this.#importInput(params));
      return { record: accepted.record, resume: accepted.record.resume, foundStarted: false };
    });

    // 3. Follow it: one poll per step, sleeping as long as the waiter's schedule says in between.
    let resume = trigger.resume;
    let check = null;
    for (let n = 1; n <= MAX_CHECKS; n += 1) {
      check = await step.do(`check ${n}`, async () => {
        const result = await this.#client().checkRestore(target, resume);
        return {
          state: result.state, percent: result.percent, polls: result.polls, nextCheckInMs: result.nextCheckInMs,
          estimatedCompletion: result.estimatedCompletion?.toISOString() ?? null, resume: result.resume,
        };
      });
      if (FINAL_STATES.includes(check.state)) break;
      resume = check.resume;
      await step.sleep(`wait ${n}`, Math.max(1_000, check.nextCheckInMs));
    }

    // 4. What happened, for whoever reads the instance's output.
    return {
      databaseName: params.databaseName, instanceId: params.instanceId, state: check?.state ?? 'TIMEOUT',
      polls: check?.polls ?? 0, preflight: preflight.verdict, triggeredBy: trigger.foundStarted ? 'an earlier attempt' : 'this workflow',
      traceId: trigger.record?.traceId ?? null, loggingGuid: trigger.record?.loggingGuid ?? null,
    };
  }

  #client() {
    const env = this.env;
    const auth = env.STACKIT_SERVICE_ACCOUNT_KEY
      ? { serviceAccountKey: JSON.parse(env.STACKIT_SERVICE_ACCOUNT_KEY), ...(env.STACKIT_TOKEN_BASEURL ? { tokenEndpoint: env.STACKIT_TOKEN_BASEURL } : {}) }
      : { token: env.STACKIT_SERVICE_ACCOUNT_TOKEN };
    return new RestoreClient({
      projectId: env.STACKIT_PROJECT_ID, region: env.STACKIT_REGION ?? 'eu01',
      ...(env.STACKIT_API_BASE_URL ? { baseUrl: env.STACKIT_API_BASE_URL } : {}),
      ...auth, ...(env.RESTORE_CLIENT_OPTIONS ? JSON.parse(env.RESTORE_CLIENT_OPTIONS) : {}),
    });
  }

  /** The package's import input: the payload's fields plus the S3 credentials from the secrets. */
  #importInput(params) {
    return {
      instanceId: params.instanceId, databaseName: params.databaseName, databaseOwner: params.databaseOwner,
      ...(params.loggingGuid ? { loggingGuid: params.loggingGuid } : {}),
      s3: { bucket: params.bucket, files: params.files, accessKey: this.env.S3_ACCESS_KEY, secretKey: this.env.S3_SECRET_KEY },
    };
  }
}

/**
 * @typedef {{ instanceId: string, databaseName: string, databaseOwner: string, bucket: string,
 *   files: { number?: number, path: string }[], loggingGuid?: string, force?: boolean, skip?: string[] }} ImportParams
 */
function readParams(payload) {
  const problems = [];
  const text = (name) => {
    if (typeof payload?.[name] !== 'string' || payload[name] === '') problems.push(`${name} is required`);
    return payload?.[name];
  };
  const params = {
    instanceId: text('instanceId'), databaseName: text('databaseName'), databaseOwner: text('databaseOwner'),
    bucket: text('bucket'), files: payload?.files, loggingGuid: payload?.loggingGuid,
    force: payload?.force === true, skip: payload?.skip,
  };
  if (!Array.isArray(params.files) || params.files.length === 0) problems.push('files must list the backup files');
  for (const secretLike of ['accessKey', 'secretKey', 's3', 'token']) {
    if (payload && secretLike in payload) problems.push(`${secretLike} must not be in the payload (it would be stored): use Worker secrets`);
  }
  if (problems.length > 0) throw new NonRetryableError(`bad import parameters: ${problems.join('; ')}`);
  return params;
}

/**
 * The HTTP entry: `POST /imports` with the ImportParams as JSON starts a workflow instance and answers
 * `{ id }`; `GET /imports/{id}` answers its status and, once done, the summary. Put it behind your
 * own access control (Cloudflare Access), as the relay is.
 */
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/imports') {
      let payload;
      try {
        payload = await request.json();
      } catch {
        return Response.json({ error: 'the body must be the import parameters as JSON' }, { status: 400 });
      }
      try {
        readParams(payload);
      } catch (error) {
        return Response.json({ error: error.message }, { status: 400 });
      }
      const instance = await env.RESTORE_WORKFLOW.create({ params: payload });
      return Response.json({ id: instance.id }, { status: 202 });
    }
    const match = /^\/imports\/([A-Za-z0-9-]{1,100})$/.exec(url.pathname);
    if (request.method === 'GET' && match) {
      let instance;
      try {
        instance = await env.RESTORE_WORKFLOW.get(match[1]);
      } catch {
        return Response.json({ error: 'no such import' }, { status: 404 });
      }
      const { status, output, error } = await instance.status();
      return Response.json({ id: match[1], status, output: output ?? null, error: error ?? null });
    }
    return Response.json({ error: 'POST /imports or GET /imports/{id}' }, { status: 404 });
  },
};
