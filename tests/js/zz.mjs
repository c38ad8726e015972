import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ACCESS_KEY, SECRET_KEY, startCorsProxy, startS3Server } from '../support/s3-server.mjs';
import { startStaticServer } from '../../www/serve.mjs';
import { chromiumArgs } from './chromium.mjs';
import { writeBackupFixtures } from './fixtures-bak.mjs';
const s3 = await startS3Server();
for (const [p, b] of writeBackupFixtures().files) s3.put('backups', p, b);
const proxy = await startCorsProxy(s3.endpoint);
const site = await startStaticServer({ mounts: { '/pkg/': join(process.cwd(), 'pkg') } });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
const page = await browser.newPage();
await page.goto(`${site.url}/pkg/package.json`);
const r = await page.evaluate(async (ctx) => {
  const { preflight } = await import('/pkg/browser.mjs');
  try { return await preflight({ s3: { bucket: 's3://object.storage.eu01.onstackit.cloud/backups/striped/', accessKey: ctx.a, secretKey: ctx.s, endpoint: ctx.e } }); } catch (e) { return String(e); }
}, { e: proxy.endpoint, a: ACCESS_KEY, s: SECRET_KEY });
console.log(JSON.stringify(r).slice(0, 1500));
await browser.close(); await site.stop(); await proxy.stop(); await s3.stop();
