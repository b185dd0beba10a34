// The bench's own test images: drawn and JPEG-encoded by headless Chromium's canvas from a seeded
// PRNG, so every run of the bench on every machine imports the same files. Generated once and
// cached under bench/out/data/<set>/ with a manifest; a change to a set's parameters regenerates it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchScratch } from './browser.mjs';

/** Bump when drawImages changes, so cached sets made by the old drawing are thrown away. */
const GENERATOR_VERSION = 1;

/**
 * Photo-sized images: gradient, 80 translucent shapes and mild noise. At quality 0.8 the noise
 * brings Chromium's JPEGs to about 100 KB each, the size of a typical compressed camera frame at 720p.
 */
export const LARGE_SET = { name: 'large-1280x720', count: 1000, width: 1280, height: 720, shapes: 80, noise: 6, quality: 0.8, firstSeed: 1_000_001 };

/** Thumbnail-sized images (a few KB each) for a big project, where the count matters, not the pixels. */
export const SMALL_SET = { name: 'small-160x120', count: 10_000, width: 160, height: 120, shapes: 12, noise: 6, quality: 0.8, firstSeed: 2_000_001 };

const BATCH = 25;

/**
 * Runs in the page: draws and encodes one JPEG per seed and returns them base64-encoded.
 * Self-contained (it is serialized into the browser).
 */
async function drawImages({ set, seeds }) {
  const out = [];
  for (const seed of seeds) {
    let s = seed >>> 0;
    // mulberry32: small, fast, and the same sequence everywhere for the same seed.
    const rand = () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    };
    const { width: w, height: h } = set;
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d');
    const sky = ctx.createLinearGradient(0, 0, w * rand(), h);
    sky.addColorStop(0, `hsl(${rand() * 360} 50% 55%)`);
    sky.addColorStop(1, `hsl(${rand() * 360} 50% 25%)`);
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, w, h);
    const unit = w / 1280; // shape sizes scale with the image
    for (let i = 0; i < set.shapes; i++) {
      ctx.globalAlpha = 0.4 + rand() * 0.6;
      ctx.fillStyle = ctx.strokeStyle = `hsl(${rand() * 360} 65% ${25 + rand() * 50}%)`;
      const x = rand() * w;
      const y = rand() * h;
      const sw = (10 + rand() * 250) * unit;
      const sh = (10 + rand() * 200) * unit;
      const kind = rand();
      if (kind < 0.4) ctx.fillRect(x, y, sw, sh);
      else if (kind < 0.8) {
        ctx.beginPath();
        ctx.ellipse(x, y, sw / 2, sh / 2, rand() * Math.PI, 0, Math.PI * 2);
        ctx.fill();
      } else {
        ctx.lineWidth = Math.max(1, (1 + rand() * 6) * unit);
        ctx.beginPath();
        ctx.moveTo(x, y);
        ctx.lineTo(rand() * w, rand() * h);
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    const pixels = ctx.getImageData(0, 0, w, h);
    const d = pixels.data;
    for (let i = 0; i < d.length; i += 4) {
      const n = (rand() - 0.5) * 2 * set.noise;
      d[i] += n;
      d[i + 1] += n;
      d[i + 2] += n;
    }
    ctx.putImageData(pixels, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: set.quality });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    out.push(btoa(bin));
  }
  return out;
}

const fileName = (i) => `img-${String(i + 1).padStart(5, '0')}.jpg`;

/**
 * The set's files on disk, generating them if the cache is missing or stale.
 * Returns absolute paths (in import order) and the mean file size in bytes.
 */
export async function ensureImageSet(set, dataRoot, log) {
  const dir = join(dataRoot, set.name);
  const manifestPath = join(dir, 'manifest.json');
  const wanted = { generator: GENERATOR_VERSION, set };
  const paths = Array.from({ length: set.count }, (_, i) => join(dir, fileName(i)));

  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (JSON.stringify(manifest.params) === JSON.stringify(wanted) && paths.every((p) => existsSync(p))) {
      log(`data: ${set.name} cached (${set.count} files, mean ${(manifest.meanBytes / 1024).toFixed(1)} KB)`);
      return { paths, meanBytes: manifest.meanBytes };
    }
  }

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`data: generating ${set.count} ${set.width}×${set.height} JPEGs in ${dir}…`);
  const browser = await launchScratch();
  try {
    const page = await browser.newPage();
    const hashes = new Set();
    let totalBytes = 0;
    for (let start = 0; start < set.count; start += BATCH) {
      const seeds = [];
      for (let i = start; i < Math.min(set.count, start + BATCH); i++) seeds.push(set.firstSeed + i);
      const encoded = await page.evaluate(drawImages, { set, seeds });
      encoded.forEach((b64, k) => {
        const bytes = Buffer.from(b64, 'base64');
        const hash = createHash('sha256').update(bytes).digest('hex');
        // The import would count a repeat as a duplicate and the scenario would not compare.
        if (hashes.has(hash)) throw new Error(`${set.name}: image ${start + k + 1} repeats an earlier one; change the generator`);
        hashes.add(hash);
        totalBytes += bytes.length;
        writeFileSync(paths[start + k], bytes);
      });
      if ((start / BATCH) % 40 === 0) log(`data: ${set.name} ${start + encoded.length}/${set.count}`);
    }
    const meanBytes = Math.round(totalBytes / set.count);
    writeFileSync(manifestPath, JSON.stringify({ params: wanted, meanBytes, totalBytes }, null, 2));
    log(`data: ${set.name} done, mean ${(meanBytes / 1024).toFixed(1)} KB`);
    return { paths, meanBytes };
  } finally {
    await browser.close();
  }
}
