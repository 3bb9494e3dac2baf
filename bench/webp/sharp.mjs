// Converts images to WebP with sharp, for bench/webp.sh:
//   node sharp.mjs QUALITY OUTDIR FILE...
// Two images at a time, each on one libvips thread: 2 threads in all.
// sharp's defaults otherwise (effort 4, metadata stripped, an embedded
// colour profile converted to sRGB), with .rotate() for EXIF orientation.
import sharp from "sharp";
import path from "node:path";

const [quality, outDir, ...files] = process.argv.slice(2);
sharp.concurrency(1);
sharp.cache(false);
let next = 0;
async function worker() {
  while (next < files.length) {
    const f = files[next++];
    const out = path.join(outDir, path.basename(f).replace(/\.[^.]+$/, ".webp"));
    await sharp(f).rotate().webp({ quality: Number(quality) }).toFile(out);
  }
}
await Promise.all([worker(), worker()]);
