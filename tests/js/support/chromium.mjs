// Launch flags for Debian's Chromium on these machines (no sandbox as root, no background networking).
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/**
 * Runs `cases[exportName](api, ctx)` from the shared cases module `modulePath` (served by the test site
 * at `siteUrl`, like `/pkg/`) in a new page, with the package's browser entry as `api`: the same cases
 * a test runs in Node, now in Chromium. Returns their plain-data results.
 */
export async function runCasesInPage(browser, siteUrl, modulePath, exportName, ctx) {
  const page = await browser.newPage();
  try {
    await page.goto(`${siteUrl}/pkg/package.json`);
    return await page.evaluate(async (args) => {
      const api = await import('/pkg/browser.mjs');
      const cases = await import(args.modulePath);
      return cases[args.exportName](api, args.ctx);
    }, { modulePath, exportName, ctx });
  } finally {
    await page.close();
  }
}
