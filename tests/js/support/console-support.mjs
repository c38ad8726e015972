// The console under test: the emulator, www/serve.mjs (page + built package) and headless Chromium
// (Playwright driving Debian's /usr/bin/chromium), with a watch on everything the page does that it
// must not: console errors, uncaught exceptions, and requests to hosts other than loopback.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../../../www/serve.mjs';
import { chromiumArgs } from './chromium.mjs';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
export const screenshotDir = join(root, 'target', 'screenshots');

export async function startConsoleSite() {
  return startStaticServer({ mounts: { '/': join(root, 'www'), '/pkg/': join(root, 'pkg') } });
}

export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
}

const LOOPBACK = /^(https?|wss?):\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;

/**
 * Opens the console pointed at `api` and waits until it is ready.
 * @returns {Promise<{ page, problems: string[], foreignRequests: string[] }>}
 */
export async function openConsole(browser, siteUrl, api, { viewport = { width: 1280, height: 900 }, query = '' } = {}) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  const foreignRequests = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (!LOOPBACK.test(url) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  await page.goto(`${siteUrl}/?api=${encodeURIComponent(api)}${query}`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true' || !document.getElementById('boot-error').hidden);
  return { page, problems, foreignRequests };
}

/** Everything a secret could hide in: the markup, every field's value, storage, cookies, the URL. */
export async function pageSurfaces(page) {
  return page.evaluate(() => ({
    html: document.documentElement.outerHTML,
    text: document.body.innerText,
    values: [...document.querySelectorAll('input, textarea, select')].map((el) => `${el.id}=${el.value}|${el.placeholder ?? ''}`),
    storage: JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }),
    cookie: document.cookie,
    url: location.href,
  }));
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
