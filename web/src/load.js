// Starts loading posturekit's WebAssembly module as early as possible: this
// script runs before the stylesheet and the rest of the page, so the module
// downloads and compiles while the page is parsed and laid out; app.js then
// instantiates it. From disk (file://), fetch() is refused: the module comes
// as base64 of its gzip in posturekit.wasm.js, unpacked with
// DecompressionStream.
"use strict";
globalThis.posturekitModule = (() => {
  const loadScript = (src) => new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}: keep it beside index.html`));
    document.head.append(s);
  });
  const fromBase64 = (b64) => {
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(b64);
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  };
  const fromDisk = async () => {
    await loadScript("posturekit.wasm.js");
    const gz = fromBase64(globalThis.posturekitWasmGzip);
    delete globalThis.posturekitWasmGzip;
    // The gzip goes in as one chunk and the module is compiled as it is
    // unpacked: in Chromium, about twice as fast as unpacking into one
    // buffer (many small chunks) and compiling that.
    const ds = new DecompressionStream("gzip");
    const w = ds.writable.getWriter();
    w.write(gz).catch(() => {}); // a bad gzip errors ds.readable: compiling fails
    w.close().catch(() => {});
    return WebAssembly.compileStreaming(new Response(ds.readable, { headers: { "Content-Type": "application/wasm" } }));
  };
  const served = async () => {
    const resp = fetch("posturekit.wasm");
    try {
      return await WebAssembly.compileStreaming(resp);
    } catch {
      // A host that sends the module without application/wasm.
      const r = await resp;
      if (!r.ok) throw new Error(`posturekit.wasm: HTTP ${r.status}`);
      return WebAssembly.compile(await r.arrayBuffer());
    }
  };
  const p = location.protocol === "file:" ? fromDisk() : served();
  p.catch(() => {}); // app.js reports the failure
  return p;
})();
