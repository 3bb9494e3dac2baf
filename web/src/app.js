// posturekit's offline page. It translates form fields into the input of
// posturekit.run (see wasm/posturekit.d.ts) and shows the result; every rule
// lives in the Go engine. User input only ever reaches the page as
// textContent or a form value, never as HTML.
"use strict";
(() => {
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  let pk = null; // globalThis.posturekit, once ready
  const last = new Map(); // form id -> {text, data, filename, type}
  let coldStart = 0;

  // ---------- loading the engine ----------

  // load.js started fetching and compiling the module before the page was
  // parsed; here it is instantiated.
  async function instantiate(go) {
    if (!globalThis.posturekitModule) throw new Error("load.js did not run: keep it beside index.html");
    const module = await globalThis.posturekitModule;
    performance.mark("posturekit:compiled");
    return WebAssembly.instantiate(module, go.importObject);
  }

  // run calls the engine; the first call to return marks the cold start.
  function run(command, input) {
    const res = pk.run(command, input);
    if (!coldStart) {
      coldStart = performance.now();
      document.documentElement.dataset.coldStartMs = coldStart.toFixed(1);
    }
    return res;
  }

  // ---------- reading forms ----------

  const hidden = (el) => el.closest("[hidden]") !== null;

  // collect turns a form's fields into run's input: flags by name with "-"
  // written "_", positional arguments in args, the text of a file or
  // standard input in input (and "-" as its argument). Empty fields are
  // left out, as flags not given on the command line.
  function collect(form) {
    const input = {};
    const args = [];
    let missing = null;
    for (const el of $$("[data-flag], [data-arg]", form)) {
      if (hidden(el)) continue;
      if (el.hasAttribute("data-stdin")) {
        input.input = el.value;
        args[Number(el.dataset.arg)] = "-";
        if (el.hasAttribute("data-required") && el.value.trim() === "") missing = missing || el;
        continue;
      }
      if (el.dataset.arg !== undefined) {
        args[Number(el.dataset.arg)] = el.value.trim();
        if (el.hasAttribute("data-required") && el.value.trim() === "") missing = missing || el;
        continue;
      }
      const key = el.dataset.flag.replaceAll("-", "_");
      if (el.type === "checkbox") {
        if (el.checked) input[key] = true;
      } else if (el.hasAttribute("data-list")) {
        const items = el.value.split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== "");
        if (items.length) input[key] = items;
      } else {
        const v = el.value.trim();
        if (v !== "") input[key] = v;
      }
    }
    if (args.length) input.args = args;
    return { input, missing };
  }

  // ---------- showing results and errors ----------

  function clearErrors(form) {
    for (const p of $$(".error", form)) p.remove();
    for (const el of $$("[aria-invalid]", form)) {
      el.removeAttribute("aria-invalid");
      const ids = (el.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.endsWith("-error"));
      if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
      else el.removeAttribute("aria-describedby");
    }
  }

  // showError puts the message beside the field it names ("--max-age"),
  // or beside the form's main field.
  function showError(form, message, field) {
    if (!field) {
      const m = /--([a-z][a-z0-9-]*)/.exec(message);
      if (m) field = $$("[data-flag]", form).find((el) => el.dataset.flag === m[1] && !hidden(el)) || null;
    }
    // The form's main field, among those shown (the TTL tools show the
    // fields of one kind of change).
    if (!field) field = $$("[data-primary]", form).find((f) => !hidden(f)) || $$("input, select, textarea", form).find((f) => !hidden(f));
    const p = document.createElement("p");
    p.className = "error";
    p.id = field.id + "-error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    const box = field.closest(".field") || field.parentElement;
    box.append(p);
    field.setAttribute("aria-invalid", "true");
    const ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    ids.push(p.id);
    field.setAttribute("aria-describedby", ids.join(" "));
  }

  function el(tag, props = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    e.append(...children);
    return e;
  }

  // render shows a result: a line of status, the text the command line
  // prints, and the JSON it prints with --json.
  function render(box, res, label, status = true) {
    box.replaceChildren();
    if (!res || res.error) return;
    if (status) {
      box.append(el("p", { class: "status " + (res.failed ? "bad" : "good"), text: res.failed ? "Errors found: see below." : "No errors." }));
    }
    box.append(
      el("pre", { class: "out", tabindex: "0", "aria-label": label, text: res.text }),
      el("details", { class: "json-box" },
        el("summary", { text: "JSON (as posturekit --json prints it)" }),
        el("pre", { class: "json", tabindex: "0", text: JSON.stringify(res.data, null, 2) })),
    );
  }

  function fail(form, box, res) {
    box.replaceChildren();
    showError(form, res.error.message);
  }

  // ---------- the tools ----------

  const headerFiles = {
    raw: ["headers.txt", "text/plain"], json: ["headers.json", "application/json"],
    nginx: ["security-headers.conf", "text/plain"], apache: ["security-headers.conf", "text/plain"],
    caddy: ["security-headers.caddy", "text/plain"], "headers-file": ["_headers", "text/plain"],
    vercel: ["vercel.json", "application/json"], "go-middleware": ["headers.go", "text/x-go"],
    "cloudfront-function": ["cloudfront-function.js", "text/javascript"], "lambda-edge": ["lambda-edge.js", "text/javascript"],
    "cloudfront-policy-json": ["response-headers-policy.json", "application/json"],
    "cloudfront-policy-yaml": ["response-headers-policy.yaml", "text/yaml"],
  };
  const kitFiles = {
    zone: ["kit.zone", "text/plain"], route53: ["kit-route53.json", "application/json"],
    terraform: ["kit.tf", "text/plain"], json: ["kit.json", "application/json"],
  };

  // Each tool: run(form) computes and shows; ready(form) says whether a
  // live update (while typing) has enough input to be worth showing.
  const tools = {
    "mtasts-build"(form) {
      return simple(form, "mtasts build", (res) => ({
        text: res.text, download: res.data.policy_text, filename: "mta-sts.txt", type: "text/plain",
      }));
    },
    "mtasts-validate"(form) { return simple(form, "mtasts validate"); },
    "kit-form"(form) {
      return simple(form, "kit", (res) => {
        const [filename, type] = kitFiles[$("#k-format").value] || ["kit.txt", "text/plain"];
        return { text: res.text, download: res.text, filename, type };
      });
    },
    "record-form"(form) { return simple(form, "record validate"); },
    "headers-build"(form) {
      const res = simple(form, "headers build", (r) => {
        const [filename, type] = headerFiles[$("#hb-format").value] || ["headers.txt", "text/plain"];
        return { text: r.data.output, download: r.data.output, filename, type };
      });
      const box = $('[data-result="headers-build-grade"]', form);
      if (!res || res.error) {
        box.replaceChildren();
        $("#hb-grade").textContent = "–";
        $("#hb-score").textContent = "";
        return res;
      }
      const g = run("headers grade", { args: ["-"], input: JSON.stringify(res.data.site.headers), profile: $("#hb-profile").value });
      if (g.error) {
        fail(form, box, g);
        return g;
      }
      render(box, g, "the grade", false);
      $("#hb-grade").textContent = g.data.grade;
      $("#hb-score").textContent = `score ${g.data.score}, ${g.data.tests_passed} of ${g.data.tests_quantity} tests passed (${g.data.profile}); presence grade ${g.data.presence.grade}`;
      return res;
    },
    "headers-check"(form) {
      const res = simple(form, "headers validate");
      const box = $('[data-result="headers-check-grade"]', form);
      if (!res || res.error) {
        box.replaceChildren();
        return res;
      }
      const g = run("headers grade", { args: ["-"], input: $("#hc-text").value });
      if (g.error) fail(form, box, g);
      else render(box, g, "the grade", false);
      return res;
    },
    "csp-form"(form) {
      // The pasted HTML is the site's one page, index.html, as with
      // "posturekit headers csp index.html".
      const { input } = collect(form);
      const html = $("#c-html");
      if (html.value.trim() === "") {
        showError(form, "paste the HTML of a page", html);
        $('[data-result="csp-form"]', form).replaceChildren();
        return null;
      }
      input.args = ["index.html"];
      input.input = { "index.html": html.value };
      return show(form, "headers csp", input, (res) => ({
        text: res.text, download: res.text, filename: "csp.txt", type: "text/plain",
      }));
    },
    "ttl-form"(form) {
      const command = $("#t-kind").value;
      const { input } = collect(form);
      const res = show(form, command, input);
      const img = $("#t-plot");
      if (!res || res.error) {
        img.removeAttribute("src");
        img.hidden = true;
        img.alt = "";
        $("#t-plot-caption").textContent = "";
        return res;
      }
      const plot = run(command, { ...input, svg: "-" });
      if (plot.error) {
        showError(form, plot.error.message);
        return plot;
      }
      const svg = plot.data.svg;
      const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
      const old = img.getAttribute("src");
      img.onload = () => { if (old) URL.revokeObjectURL(old); };
      img.src = url;
      img.hidden = false;
      const title = svgTitle(svg);
      img.alt = `Plot: ${title}: the share of clients with the new answer against the time since the change, beside the half-life rule of thumb.`;
      $("#t-plot-caption").textContent = title;
      last.set(form.id, { ...last.get(form.id), download: svg, filename: "ttl-curve.svg", type: "image/svg+xml" });
      return res;
    },
    "plan-form"(form) { return simple(form, "ttl plan"); },
  };

  // The title of our own SVG, as text (the five XML escapes undone).
  function svgTitle(svg) {
    const m = /<title>([^<]*)<\/title>/.exec(svg);
    if (!m) return "the curve";
    const ent = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&apos;": "'", "&amp;": "&" };
    return m[1].replace(/&(lt|gt|quot|#39|apos|amp);/g, (e) => ent[e]);
  }

  // simple runs the form's command on its fields and shows the result.
  function simple(form, command, keep) {
    const { input, missing } = collect(form);
    if (missing) {
      showError(form, `${$(`label[for="${missing.id}"]`).textContent}: required`, missing);
      $(`[data-result="${form.id}"]`, form).replaceChildren();
      return null;
    }
    return show(form, command, input, keep);
  }

  function show(form, command, input, keep) {
    const box = $(`[data-result="${form.id}"]`, form);
    const res = run(command, input);
    if (res.error) {
      fail(form, box, res);
      last.delete(form.id);
      return res;
    }
    render(box, res, `output of posturekit ${command}`);
    last.set(form.id, keep ? keep(res) : { text: res.text, download: res.text, filename: "posturekit.txt", type: "text/plain" });
    return res;
  }

  function runTool(form) {
    clearErrors(form);
    try {
      tools[form.id](form);
    } catch (e) {
      showError(form, `internal error: ${e.message}`);
    }
    form.dataset.runs = String(Number(form.dataset.runs || 0) + 1);
  }

  // ---------- copy and download ----------

  async function copy(button, text) {
    const was = button.textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Copy failed: select the text";
    }
    setTimeout(() => { button.textContent = was; }, 1500);
  }

  function download(text, filename, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = el("a", { href: url, download: filename });
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  function wireButtons() {
    for (const b of $$("[data-copy]")) {
      b.addEventListener("click", () => {
        const r = last.get(b.dataset.copy);
        if (r) copy(b, r.text);
      });
    }
    for (const b of $$("[data-download]")) {
      b.addEventListener("click", () => {
        const r = last.get(b.dataset.download);
        if (r) download(r.download, r.filename, r.type);
      });
    }
  }

  // ---------- fields that depend on a choice ----------

  function syncKinds() {
    const command = $("#t-kind").value;
    for (const f of $$("[data-for-command]")) f.hidden = f.dataset.forCommand !== command;
    const kind = $("#p-kind").value;
    for (const f of $$("[data-for-kind]")) f.hidden = f.dataset.forKind !== kind;
  }

  // ---------- images to WebP ----------

  // Made on first use: the first Intl.NumberFormat loads ICU data, tens of
  // milliseconds the engine's start should not wait for.
  let num = null;
  function size(n) {
    num ??= new Intl.NumberFormat("en-US");
    if (n < 1000) return `${num.format(n)} B`;
    return `${(n / 1000).toFixed(1)} kB (${num.format(n)} B)`;
  }

  async function toWebP(file, quality) {
    const bmp = await createImageBitmap(file);
    const canvas = document.createElement("canvas");
    canvas.width = bmp.width;
    canvas.height = bmp.height;
    canvas.getContext("2d").drawImage(bmp, 0, 0);
    bmp.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/webp", quality));
    if (!blob || blob.type !== "image/webp") {
      throw new Error("this browser has no WebP encoder");
    }
    return { blob, width: canvas.width, height: canvas.height };
  }

  async function convertImages(form) {
    clearErrors(form);
    const input = $("#w-files");
    const status = $("#w-status");
    const table = $("#w-table");
    const body = $("tbody", table);
    if (!input.files.length) {
      showError(form, "choose one or more images", input);
      return;
    }
    const quality = Number($("#w-quality").value) / 100;
    for (const a of $$("a[href^='blob:']", body)) URL.revokeObjectURL(a.href);
    body.replaceChildren();
    table.hidden = false;
    status.textContent = "Converting…";
    let done = 0;
    for (const file of input.files) {
      const row = el("tr", {}, el("th", { scope: "row", text: file.name }));
      body.append(row);
      try {
        const { blob, width, height } = await toWebP(file, quality);
        const saving = file.size - blob.size;
        const pct = file.size ? Math.round((saving / file.size) * 1000) / 10 : 0;
        const name = file.name.replace(/\.[^.]*$/, "") + ".webp";
        const link = el("a", { href: URL.createObjectURL(blob), download: name, text: name });
        row.append(
          el("td", { text: `${width} × ${height}` }),
          el("td", { class: "num", "data-bytes": String(file.size), text: size(file.size) }),
          el("td", { class: "num", "data-bytes": String(blob.size), text: size(blob.size) }),
          el("td", { class: "num " + (saving > 0 ? "good" : "bad"), text: saving > 0 ? `${pct}% smaller` : `${-pct}% larger: keep the original` }),
          el("td", {}, link),
        );
        done++;
      } catch (e) {
        row.append(el("td", { colspan: "5", class: "error-cell", text: `${file.name}: ${e.message === "this browser has no WebP encoder" ? e.message : "not an image this browser can read"}` }));
      }
    }
    status.textContent = `Converted ${done} of ${input.files.length} image(s) at quality ${Math.round(quality * 100)}.`;
    form.dataset.runs = String(Number(form.dataset.runs || 0) + 1);
  }

  // ---------- start ----------

  function wireForms() {
    for (const form of $$("form[data-command]")) {
      if (!tools[form.id]) continue;
      let timer = 0;
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        clearTimeout(timer);
        runTool(form);
      });
      if (!form.hasAttribute("data-live")) continue;
      const live = (e) => {
        syncKinds();
        clearTimeout(timer);
        timer = setTimeout(() => {
          const empty = $$("[data-required]", form).some((f) => !hidden(f) && f.value.trim() === "");
          if (!empty) runTool(form);
        }, 200);
      };
      form.addEventListener("input", live);
      form.addEventListener("change", live);
    }
    const w = $("#webp-form");
    w.addEventListener("submit", (e) => {
      e.preventDefault();
      convertImages(w);
    });
    $("#w-files").addEventListener("change", () => convertImages(w));
    $("#w-quality").addEventListener("input", () => { $("#w-quality-out").textContent = $("#w-quality").value; });
  }

  async function boot() {
    const status = $("#engine-status");
    try {
      if (typeof Go !== "function") throw new Error("wasm_exec.js did not load: keep it beside index.html");
      const go = new Go();
      const instance = await instantiate(go);
      performance.mark("posturekit:instantiated");
      go.run(instance); // runs until the page closes
      pk = await globalThis.posturekit.ready;
      performance.mark("posturekit:ready");
    } catch (e) {
      status.textContent = `The engine could not start: ${e.message}`;
      status.classList.add("bad");
      return;
    }
    $("#version").textContent = pk.version || "";
    const csp = $("#csp-form");
    if (!pk.commands.includes("headers csp")) {
      for (const c of $$("input, textarea, button", csp)) c.disabled = true;
      $('[data-result="csp-form"]', csp).replaceChildren(el("p", { class: "status bad", text: "This build has no \"headers csp\": use the command line (posturekit headers csp --from-html DIR)." }));
    }
    syncKinds();
    wireForms();
    wireButtons();
    // The tools with useful defaults show their result at once.
    for (const id of ["headers-build", "ttl-form", "plan-form"]) runTool(document.getElementById(id));
    status.textContent = `Ready: ${pk.commands.length} commands, started in ${Math.round(coldStart)} ms. Nothing leaves this page.`;
    document.documentElement.dataset.ready = "true";
  }

  boot();
})();
