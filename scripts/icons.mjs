// Draws Tally's app icons (public/icons/*.png) from the same picture as public/favicon.svg: a
// dark rounded square holding a blue box and a green polygon, on a 32-unit grid. Run it again
// after changing the picture: `node scripts/icons.mjs`. No image library: each pixel's colour is
// the average of 4×4 samples of the shapes below, written as an RGBA PNG with node:zlib.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('../public/icons/', import.meta.url));

const BACKGROUND = [0x1f, 0x22, 0x29];
const BOX = [0x4c, 0x8d, 0xff];
const POLYGON = [0x3c, 0xb4, 0x4b];
const STROKE = 2.5; // units of the 32-unit grid, as in favicon.svg

/** Distance from (px, py) to the segment a–b. */
function segmentDistance(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** Inside the 32×32 square with corners rounded to `radius`. */
function inRoundedSquare(x, y, radius) {
  if (x < 0 || y < 0 || x > 32 || y > 32) return false;
  const cx = Math.min(Math.max(x, radius), 32 - radius);
  const cy = Math.min(Math.max(y, radius), 32 - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

const h = STROKE / 2;
const inBoxStroke = (x, y) => x >= 6 - h && x <= 20 + h && y >= 8 - h && y <= 20 + h && !(x > 6 + h && x < 20 - h && y > 8 + h && y < 20 - h);
const TRIANGLE = [[14, 24], [19, 15], [26, 26]];
const inPolygonStroke = (x, y) => TRIANGLE.some((a, i) => segmentDistance(x, y, a, TRIANGLE[(i + 1) % 3]) <= h);

/**
 * The colour at grid point (x, y), or null for transparent.
 * `maskable`: the background fills the whole square (the platform cuts its own shape) and the
 * picture shrinks into the safe zone, the centre circle of 80% of the width.
 */
function colourAt(x, y, maskable) {
  if (maskable) {
    const scale = 0.72;
    const gx = 16 + (x - 16) / scale;
    const gy = 16 + (y - 16) / scale;
    if (inPolygonStroke(gx, gy)) return POLYGON;
    if (inBoxStroke(gx, gy)) return BOX;
    return BACKGROUND;
  }
  if (!inRoundedSquare(x, y, 6)) return null;
  if (inPolygonStroke(x, y)) return POLYGON;
  if (inBoxStroke(x, y)) return BOX;
  return BACKGROUND;
}

function render(size, maskable) {
  const SAMPLES = 4;
  const rgba = Buffer.alloc(size * size * 4);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const c = colourAt(((col + (sx + 0.5) / SAMPLES) * 32) / size, ((row + (sy + 0.5) / SAMPLES) * 32) / size, maskable);
          if (!c) continue;
          r += c[0]; g += c[1]; b += c[2]; a += 1;
        }
      }
      const o = (row * size + col) * 4;
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
      }
      rgba[o + 3] = Math.round((255 * a) / (SAMPLES * SAMPLES));
    }
  }
  return png(size, size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
/** An 8-bit RGBA PNG, every row with filter 0 (none). */
function png(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

mkdirSync(OUT, { recursive: true });
const ICONS = [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['icon-maskable-512.png', 512, true],
  ['apple-touch-icon-180.png', 180, true],
];
for (const [name, size, maskable] of ICONS) {
  writeFileSync(OUT + name, render(size, maskable));
  console.log(`public/icons/${name} (${size}×${size}${maskable ? ', maskable' : ''})`);
}
