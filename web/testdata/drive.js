// Drives the offline page in Chromium for web's browser tests:
//   node drive.js SPEC.json
// SPEC: {flags: [...chromium flags], pages: [{name, url, origin}], cases: [...],
//        webp: {files: [...], badFile}, artifacts: DIR, downloads: DIR}
// For each page (the served form and the file:// form) it fills every case's
// fields, submits the form, and reads what the page shows; it also counts
// console errors, CSP violations and requests, and takes a screenshot per
// tool (after the case whose "shot" names it). It prints one JSON object:
// {pageName: {...}}.
const { chromium } = require("playwright-core");
const fs = require("node:fs");
const path = require("node:path");

const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));

async function fillCase(page, c) {
  await page.evaluate((c) => {
    const form = document.getElementById(c.form);
    form.reset();
    for (const el of form.querySelectorAll("input, textarea")) {
      if (el.type === "checkbox") el.checked = false;
      else if (el.type !== "range" && el.type !== "file") el.value = "";
    }
    for (const el of form.querySelectorAll(".error")) el.remove();
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }, c);
  const form = `#${c.form}`;
  for (const [sel, value] of Object.entries(c.selects || {})) {
    await page.selectOption(sel, value);
  }
  for (let i = 0; i < (c.args || []).length; i++) {
    const sel = `${form} [data-arg="${i}"]:not([data-stdin])`;
    if ((await page.$(sel)) === null) continue;
    const tag = await page.$eval(sel, (e) => e.tagName);
    if (tag === "SELECT") await page.selectOption(sel, c.args[i]);
    else await page.fill(sel, c.args[i]);
  }
  if (c.stdin !== undefined && c.stdin !== null) {
    await page.fill(`${form} [data-stdin], ${form} [data-html]`, c.stdin);
  }
  // Selects first: they show the fields that belong to the choice.
  const flags = [];
  for (const [flag, value] of Object.entries(c.flags || {})) {
    const sel = `#${c.prefix}${flag}`;
    const kind = await page.$eval(sel, (e) => (e.type === "checkbox" ? "check" : e.tagName === "SELECT" ? "select" : e.hasAttribute("data-list") ? "list" : "fill"));
    flags.push({ sel, kind, value });
  }
  flags.sort((a, b) => (b.kind === "select") - (a.kind === "select"));
  for (const { sel, kind, value } of flags) {
    if (kind === "check") await page.setChecked(sel, value === true);
    else if (kind === "select") await page.selectOption(sel, String(value));
    else if (kind === "list") await page.fill(sel, [].concat(value).join("\n"));
    else await page.fill(sel, String(value));
  }
  const runs = await page.$eval(form, (f) => Number(f.dataset.runs || 0));
  await page.click(`${form} button[type="submit"]`);
  await page.waitForFunction(([sel, n]) => Number(document.querySelector(sel).dataset.runs || 0) > n, [form, runs]);
  const out = await page.evaluate((c) => {
    const form = document.getElementById(c.form);
    const results = {};
    for (const name of c.results) {
      const box = document.querySelector(`[data-result="${name}"]`);
      const pre = box.querySelector("pre.out");
      const json = box.querySelector("pre.json");
      results[name] = { text: pre ? pre.textContent : null, json: json ? json.textContent : null };
    }
    const errors = Array.from(form.querySelectorAll(".error")).map((p) => ({
      field: p.id.replace(/-error$/, ""), text: p.textContent,
      described: (document.getElementById(p.id.replace(/-error$/, "")).getAttribute("aria-describedby") || "").split(" ").includes(p.id),
    }));
    const extra = {};
    if (c.form === "headers-build") extra.grade = document.getElementById("hb-grade").textContent;
    if (c.form === "ttl-form") {
      const img = document.getElementById("t-plot");
      extra.plotWidth = img.complete ? img.naturalWidth : -1;
      extra.plotAlt = img.alt;
    }
    return { results, errors, extra };
  }, c);
  if (c.form === "ttl-form" && out.errors.length === 0) {
    await page.waitForFunction(() => document.getElementById("t-plot").naturalWidth > 0);
    out.extra.plotWidth = await page.$eval("#t-plot", (img) => img.naturalWidth);
  }
  if (c.shot) {
    await page.locator(`#${c.form}`).locator("xpath=ancestor::section").screenshot({ path: path.join(spec.artifacts, `${spec.current}-${c.shot}.png`), caret: "initial" });
  }
  if (c.copy) {
    await page.click(c.copy);
    await page.waitForFunction((sel) => document.querySelector(sel).textContent !== "Copy", c.copy);
    out.copied = await page.textContent(c.copy);
    out.clipboard = await page.evaluate(() => window.__copied);
  }
  if (c.download) {
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click(c.download)]);
    out.download = { name: dl.suggestedFilename(), content: fs.readFileSync(await dl.path(), "utf8") };
  }
  return out;
}

async function webp(page, pageName) {
  const out = {};
  await page.setInputFiles("#w-files", spec.webp.files);
  await page.waitForFunction(() => Number(document.getElementById("webp-form").dataset.runs || 0) > 0, null, { timeout: 30000 });
  out.rows = await page.$$eval("#w-table tbody tr", (rows) => rows.map((r) => ({
    name: r.querySelector("th").textContent,
    cells: Array.from(r.querySelectorAll("td")).map((td) => td.textContent),
    bytes: Array.from(r.querySelectorAll("td[data-bytes]")).map((td) => Number(td.dataset.bytes)),
    link: r.querySelector("a") ? r.querySelector("a").getAttribute("download") : null,
  })));
  out.status = await page.textContent("#w-status");
  await page.locator("#webp").screenshot({ path: path.join(spec.artifacts, `${pageName}-webp.png`), caret: "initial" });
  out.files = [];
  for (const link of await page.$$("#w-table a[download]")) {
    const [dl] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const file = path.join(spec.downloads, `${pageName}-${dl.suggestedFilename()}`);
    await dl.saveAs(file);
    out.files.push(file);
  }
  // A file that is no image: an error in its row, the others still done.
  await page.setInputFiles("#w-files", [spec.webp.badFile]);
  await page.waitForFunction(() => Number(document.getElementById("webp-form").dataset.runs || 0) > 1, null, { timeout: 30000 });
  out.badRow = await page.textContent("#w-table tbody tr");
  await page.$eval("#webp-form", (f) => f.reset());
  return out;
}

(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: spec.flags, headless: true, timeout: 30000 });
  const result = {};
  try {
    for (const p of spec.pages) {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
      if (p.name === "served") await context.grantPermissions(["clipboard-write"], { origin: new URL(p.url).origin });
      const page = await context.newPage();
      const r = { console: [], warnings: [], pageErrors: [], requests: [], cases: {} };
      page.on("console", (m) => {
        if (m.type() === "error") r.console.push(m.text());
        else if (m.type() === "warning") r.warnings.push(m.text());
      });
      page.on("pageerror", (e) => r.pageErrors.push(String(e)));
      page.on("request", (q) => r.requests.push(q.url()));
      await page.addInitScript(() => {
        // What the page copies, recorded on its way to the real clipboard.
        if (navigator.clipboard) {
          const write = navigator.clipboard.writeText.bind(navigator.clipboard);
          navigator.clipboard.writeText = (text) => {
            window.__copied = text;
            return write(text);
          };
        }
        window.__violations = [];
        document.addEventListener("securitypolicyviolation", (e) => {
          window.__violations.push(`${e.effectiveDirective} ${e.blockedURI || ""} ${e.sample || ""}`);
        });
      });
      await page.goto(p.url, { waitUntil: "load" });
      await page.waitForFunction(() => document.documentElement.dataset.ready === "true" || document.getElementById("engine-status").classList.contains("bad"), null, { timeout: 60000 });
      r.engine = await page.textContent("#engine-status");
      r.coldStartMs = Number(await page.evaluate(() => document.documentElement.dataset.coldStartMs || -1));
      r.commands = await page.evaluate(() => (globalThis.posturekit ? globalThis.posturekit.commands : []));
      // Every form control has a label.
      r.unlabelled = await page.$$eval("input, select, textarea", (els) => els.filter((e) => e.labels.length === 0).map((e) => e.id || e.outerHTML.slice(0, 60)));
      // Keyboard: the first Tab reaches the skip link, with a visible focus ring.
      await page.keyboard.press("Tab");
      r.firstFocus = await page.evaluate(() => {
        const a = document.activeElement;
        const st = getComputedStyle(a);
        return { text: a.textContent, outline: st.outlineStyle, width: st.outlineWidth };
      });
      fs.mkdirSync(spec.artifacts, { recursive: true });
      spec.current = p.name;
      for (const c of spec.cases) {
        try {
          r.cases[c.name] = await fillCase(page, c);
        } catch (e) {
          r.cases[c.name] = { failure: String(e) };
        }
      }
      r.webp = await webp(page, p.name).catch((e) => ({ failure: String(e) }));
      // At phone width, nothing is wider than the screen.
      await page.setViewportSize({ width: 360, height: 780 });
      await page.waitForTimeout(100);
      r.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      r.phoneWide = await page.evaluate(() => Array.from(document.querySelectorAll("body *"))
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(".table-wrap, pre"))
        .slice(0, 10).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className} right=${Math.round(e.getBoundingClientRect().right)}`));
      await page.screenshot({ path: path.join(spec.artifacts, `${p.name}-phone-360px.png`), fullPage: true, caret: "initial" });
      r.violations = await page.evaluate(() => window.__violations);
      // The control: the page's policy is in force (from disk too, by its
      // <meta> tag), so a fetch to another origin is refused and reported.
      const seen = { console: r.console.length, requests: r.requests.length };
      r.control = await page.evaluate(async () => {
        const before = window.__violations.length;
        let refused = false;
        try {
          await fetch("https://evil.example/probe");
        } catch {
          refused = true;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        return { refused, violations: window.__violations.slice(before) };
      });
      r.console = r.console.slice(0, seen.console);
      r.controlRequests = r.requests.slice(seen.requests);
      r.requests = r.requests.slice(0, seen.requests);
      r.pwned = await page.evaluate(() => String(window.__pwned));
      r.elements = await page.evaluate(() => ({
        img: document.querySelectorAll("img").length,
        scripts: Array.from(document.scripts).map((s) => s.getAttribute("src") || "inline"),
        iframes: document.querySelectorAll("iframe, object, embed").length,
      }));
      result[p.name] = r;
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(result));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
