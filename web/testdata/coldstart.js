// Measures the page's cold start in headless Chromium for BenchmarkColdStart:
//   node coldstart.js FLAGS_JSON N URL...
// For each URL, N loads, each in a fresh browser context (empty HTTP and code
// caches). Cold start is the time from navigation to the first
// posturekit.run returning, as the page records it (performance.now(),
// whose origin is the navigation). Prints {url: [{cold, instantiated, ready}]}.
const { chromium } = require("playwright-core");

(async () => {
  const [flags, n, ...urls] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: JSON.parse(flags), headless: true, timeout: 30000 });
  const out = {};
  try {
    for (const url of urls) {
      out[url] = [];
      for (let i = 0; i < Number(n); i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        // Headless Chromium builds the new window's own UI in another
        // process for about a second after newPage, competing for the CPU:
        // a browser the user already has open has done that. Let it finish
        // so the measure is the page's cold start, not the window's.
        await page.waitForTimeout(2000);
        await page.goto(url);
        await page.waitForFunction(() => document.documentElement.dataset.coldStartMs, null, { timeout: 60000 });
        out[url].push(await page.evaluate(() => {
          const mark = (name) => {
            const m = performance.getEntriesByName(name)[0];
            return m ? m.startTime : -1;
          };
          return {
            cold: Number(document.documentElement.dataset.coldStartMs),
            instantiated: mark("posturekit:instantiated"),
            ready: mark("posturekit:ready"),
          };
        }));
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
