// A CommonJS TypeScript consumer (node16: `import` compiles to `require`, which must get CommonJS
// declarations, `index.d.cts`), compiled strict; the emitted program runs against the emulator.
import { NotFoundError, RestoreClient, validateImport, version, type ImportAccepted } from 'sqlserverflex-restore';

async function main(): Promise<void> {
  const { startEmulator, DEFAULT_INSTANCE_ID, DEFAULT_PROJECT_ID, DEFAULT_TOKEN } = await import('sqlserverflex-restore/emulator');
  const emulator = await startEmulator({ port: 0 });
  try {
    const bucket = 's3://object.storage.eu01.onstackit.cloud/my-bucket/backups/';
    const input = {
      instanceId: DEFAULT_INSTANCE_ID,
      databaseName: `typescript_cjs_${Date.now().toString(36)}`,
      databaseOwner: 'dbo_owner',
      s3: { bucket, accessKey: 'AKIA', secretKey: 'ts-S3CR3T', files: [{ path: `${bucket}sales.bak` }] },
    };
    const client = new RestoreClient({ projectId: DEFAULT_PROJECT_ID, region: 'eu01', token: DEFAULT_TOKEN, baseUrl: emulator.url });
    const accepted: ImportAccepted = await client.importFromS3(input);
    const missing = await client.getInstance({ instanceId: '99999999-9999-4999-8999-999999999999' }).then(() => null, (error: unknown) => error);
    console.log(JSON.stringify({
      version: version as string,
      checked: validateImport(input).ok,
      accepted: accepted.accepted,
      status: accepted.status,
      notFound: missing instanceof NotFoundError ? missing.status : null,
    }));
  } finally {
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
