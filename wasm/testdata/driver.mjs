// driver.mjs runs posturekit.wasm under Node.js for the Go tests of wasm/:
//
//	node driver.mjs WASM_EXEC_JS POSTUREKIT_WASM < requests.json > results.json
//
// requests.json is an array; each request is {command, input} (passed to
// posturekit.run as they are) or {expr} (a JavaScript expression evaluated
// with the namespace as pk, for inputs JSON cannot carry: getters, proxies,
// missing arguments). The output is one JSON object: what the namespace
// holds (keys, commands, version, whether ready is a Promise), the time
// from instantiation to ready, and per request the result, or the
// exception when run threw (it must never), and the time the call took.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const [wasmExec, wasmFile] = process.argv.slice(2);
createRequire(import.meta.url)(wasmExec);

const requests = JSON.parse(fs.readFileSync(0, 'utf8'));
const go = new Go();
const t0 = performance.now();
const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmFile), go.importObject);
go.run(instance);
const ns = globalThis.posturekit;
const readyIsPromise = ns !== undefined && ns.ready instanceof Promise;
const pk = await ns.ready;
const readyMs = performance.now() - t0;

const results = requests.map((r) => {
  const start = performance.now();
  try {
    const result = 'expr' in r
      ? new Function('pk', `return (${r.expr});`)(pk)
      : pk.run(r.command, r.input);
    return { result, ms: performance.now() - start };
  } catch (e) {
    return { threw: String(e && e.stack || e), ms: performance.now() - start };
  }
});

const out = JSON.stringify({
  keys: Object.keys(ns).sort(),
  ready_is_promise: readyIsPromise,
  ready_resolves_namespace: pk === ns,
  commands: ns.commands,
  version: ns.version,
  ready_ms: readyMs,
  results,
});
// The Go program waits forever (select {}): end once the output is out.
process.stdout.write(out, () => process.exit(0));
