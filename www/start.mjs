// `npm start`: builds what is missing, starts the local emulator and the restore console (www/) on
// loopback, and runs a demo import against the emulator with the built package; prints the console's
// URL (pointed at the emulator by `?api=`). `--once` exits after the demo (for tests).
import { join } from 'node:path';
import { build } from '../pkg-template/build.mjs';
import { root } from '../pkg-template/toolchain.mjs';
import { startStaticServer } from './serve.mjs';

const once = process.argv.includes('--once');
const pkg = await build();
const { startEmulator, DEFAULT_PROJECT_ID, DEFAULT_INSTANCE_ID, DEFAULT_TOKEN } = await import(join(pkg, 'emulator', 'index.mjs'));
const { RestoreClient } = await import(join(pkg, 'node.mjs'));

const emulator = await listenOnPreferredPort((port) => startEmulator({ port, timeScale: 60 }), 8787);
const page = await listenOnPreferredPort(
  (port) => startStaticServer({ mounts: { '/': join(root, 'www'), '/pkg/': pkg }, port }),
  8080,
);

const client = new RestoreClient({
  projectId: DEFAULT_PROJECT_ID,
  region: 'eu01',
  apiVersion: 'v3alpha1',
  baseUrl: emulator.url,
  token: DEFAULT_TOKEN,
});
const databaseName = `demo_${Date.now()}`;
console.log(`emulator: ${emulator.url}  (token "${DEFAULT_TOKEN}")`);
console.log(`importing ${databaseName} from S3 into instance ${DEFAULT_INSTANCE_ID} …`);
try {
  const result = await client.importFromS3({
    instanceId: DEFAULT_INSTANCE_ID,
    databaseName,
    databaseOwner: 'dbo_owner',
    s3: {
      bucket: 's3://object.storage.eu01.onstackit.cloud/demo-bucket/backups/',
      accessKey: 'DEMO-ACCESS-KEY',
      secretKey: 'demo-secret-key',
      files: [{ number: 1, path: 's3://object.storage.eu01.onstackit.cloud/demo-bucket/backups/demo.bak' }],
    },
  });
  console.log('import accepted:', JSON.stringify(result));
} catch (error) {
  console.error(`import failed: ${error.name} ${error.code ?? ''}: ${error.message}`);
  process.exitCode = 1;
}

if (once) {
  await Promise.all([emulator.stop(), page.stop()]);
} else {
  console.log(`console:  ${page.url}/?api=${encodeURIComponent(emulator.url)}`);
  console.log(`CLI:      node pkg/cli.mjs jobs --base-url ${emulator.url} --token ${DEFAULT_TOKEN} --project ${DEFAULT_PROJECT_ID} --instance ${DEFAULT_INSTANCE_ID}`);
  console.log('press Ctrl-C to stop');
  const stop = async () => {
    await Promise.all([emulator.stop(), page.stop()]);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Prefers a memorable port, falls back to any free one when it is taken. */
async function listenOnPreferredPort(start, preferred) {
  try {
    return await start(preferred);
  } catch (error) {
    if (error?.code !== 'EADDRINUSE') throw error;
    return start(0);
  }
}

