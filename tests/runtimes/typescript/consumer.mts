// An ESM TypeScript consumer, compiled by `tsc` in strict mode with `moduleResolution` node16 (and
// type-checked with bundler): the declarations must describe the real API, and the emitted program
// runs the import against the emulator with the same values the types promise.
import type * as pkg from 'sqlserverflex-restore';
import {
  NotFoundError, RestoreClient, RestoreError, ValidationError, buildImportRequest, toCurl, validateImport, version,
  type ImportAccepted, type ImportFromS3Input, type Instance, type NormalizedImport, type ValidationResult,
} from 'sqlserverflex-restore';
import * as slim from 'sqlserverflex-restore/slim';
import { DEFAULT_INSTANCE_ID, DEFAULT_PROJECT_ID, DEFAULT_TOKEN, startEmulator } from 'sqlserverflex-restore/emulator';

const wasmSources: slim.WasmSource[] = [new Uint8Array(8), 'https://example.com/x.wasm', new URL('https://example.com/x.wasm')];
const initialise: (wasm: slim.WasmSource) => Promise<typeof pkg> = slim.init;
void wasmSources;
void initialise;

const emulator = await startEmulator({ port: 0 });
try {
  const bucket = 's3://object.storage.eu01.onstackit.cloud/my-bucket/backups/';
  const input: ImportFromS3Input = {
    instanceId: DEFAULT_INSTANCE_ID,
    databaseName: `typescript_${Date.now().toString(36)}`,
    databaseOwner: 'dbo_owner',
    s3: { bucket, accessKey: 'AKIA', secretKey: 'ts-S3CR3T', files: [{ path: `${bucket}sales.bak` }] },
  };
  const options = { projectId: DEFAULT_PROJECT_ID, region: 'eu01', token: DEFAULT_TOKEN, baseUrl: emulator.url };
  const checked: ValidationResult<NormalizedImport> = validateImport(input, options);
  const curl: string = toCurl(buildImportRequest(options, input));
  const client = new RestoreClient(options);
  const accepted: ImportAccepted = await client.importFromS3(input);
  const instance: Instance = await client.getInstance({ instanceId: DEFAULT_INSTANCE_ID });

  let notFound: { name: string; status?: number; base: boolean } | undefined;
  try {
    await client.getInstance({ instanceId: '99999999-9999-4999-8999-999999999999' });
  } catch (error) {
    if (error instanceof NotFoundError) notFound = { name: error.name, status: error.status, base: error instanceof RestoreError };
  }
  let invalid: string[] = [];
  try {
    await client.importFromS3({ ...input, databaseName: 'tempdb' });
  } catch (error) {
    if (ValidationError.isInstance(error)) invalid = (error as ValidationError).errors.map((issue) => issue.code);
  }

  console.log(JSON.stringify({
    version: version as string,
    checked: checked.ok,
    curl: curl.startsWith('curl'),
    accepted: accepted.accepted,
    status: accepted.status,
    instanceId: instance.id,
    notFound,
    invalid,
  }));
} finally {
  await emulator.stop();
}
