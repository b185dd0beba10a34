/**
 * 64-bit perceptual hashes for near-duplicate detection.
 *
 * pHash: grey → 32×32 area resize → 2-D DCT-II → top-left 8×8 block → one bit
 * per coefficient, set when the coefficient exceeds the median of the 63 non-DC
 * coefficients. dHash: grey → 9×8 area resize → one bit per horizontally
 * adjacent pair, set when the left pixel is darker than the right.
 *
 * Invariants:
 * - Hashes are 16 lowercase hex digits (64 bits). Bit k (k = 0..63) is entry
 *   (row ⌊k/8⌋, column k mod 8) of the 8×8 bit grid, and bit 0 is the most
 *   significant bit of the first hex digit.
 * - Everything is deterministic: the same pixels give the same hash bit for
 *   bit, on any engine that implements IEEE-754 doubles and Math.cos to
 *   within an ulp (differences that small are snapped away, see EPSILON).
 * - Grey values are in the units of the input channels (0–255 for 8-bit RGBA).
 */

/** RGBA pixels, row-major, 4 bytes per pixel (like ImageData.data). width, height ≥ 1. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** Each field is 16 lowercase hex digits = 64 bits, in the bit order described in the module comment. */
export interface ImageHashes {
  phash: string;
  phashMirrored: string;
  dhash: string;
}

const PHASH_SIZE = 32;
const BLOCK = 8;

/**
 * Relative tolerance below which two values count as equal. Resampling and the
 * DCT leave rounding residue of order 1e-13 of the signal's range; without
 * this, perfectly flat or perfectly symmetric regions would turn that residue
 * into hash bits (noise rather than content). Real image structure is many
 * orders of magnitude larger than 1e-9 of the range.
 */
const EPSILON = 1e-9;

/** Luma (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B), alpha ignored, into a Float64Array of width*height. */
export function toGrey(img: RgbaImage): Float64Array {
  const { width, height, data } = img;
  checkSize(width, height);
  const n = width * height;
  if (data.length < n * 4) throw new RangeError(`RGBA data has ${data.length} bytes, need ${n * 4}`);
  const out = new Float64Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    out[i] = 0.299 * (data[j] ?? 0) + 0.587 * (data[j + 1] ?? 0) + 0.114 * (data[j + 2] ?? 0);
  }
  return out;
}

/**
 * Contributions of source samples to each output sample along one axis, for
 * an area-average resample of `inN` samples to `outN`. Output i averages the
 * source interval [i·inN/outN, (i+1)·inN/outN), each source sample weighted by
 * the length of its overlap with that interval; weights of one output sum to 1.
 */
interface AxisTaps {
  /** First source index for each output. */
  readonly first: Int32Array;
  /** Offset into `weights` of each output's taps; length outN + 1. */
  readonly offset: Int32Array;
  readonly weights: Float64Array;
}

function axisTaps(inN: number, outN: number): AxisTaps {
  const first = new Int32Array(outN);
  const offset = new Int32Array(outN + 1);
  const scale = inN / outN;
  const ws: number[] = [];
  for (let i = 0; i < outN; i++) {
    // Multiply before dividing so the interval ends are exact whenever they are integers.
    const start = (i * inN) / outN;
    const end = ((i + 1) * inN) / outN;
    const lo = Math.floor(start);
    const hi = Math.min(Math.ceil(end), inN);
    first[i] = lo;
    offset[i] = ws.length;
    for (let s = lo; s < hi; s++) {
      const overlap = Math.min(end, s + 1) - Math.max(start, s);
      ws.push(overlap / scale);
    }
  }
  offset[outN] = ws.length;
  return { first, offset, weights: Float64Array.from(ws) };
}

/** Area-average (box filter) resample of a grey image to outW×outH; exact for fractional pixel coverage. Works for upsampling too (then it is nearest-ish/area). */
export function resizeGrey(grey: Float64Array, width: number, height: number, outW: number, outH: number): Float64Array {
  return resample(grey, width, height, outW, outH, false);
}

/**
 * resizeGrey, optionally of the left↔right mirror of `grey`. Mirroring while
 * reading performs exactly the same floating-point operations, in the same
 * order, as resizing a mirrored copy, so the result is bit-identical to
 * resizeGrey(mirrorGrey(grey)) without allocating the copy.
 */
function resample(grey: Float64Array, width: number, height: number, outW: number, outH: number, mirror: boolean): Float64Array {
  checkSize(width, height);
  checkSize(outW, outH);
  if (grey.length !== width * height) throw new RangeError(`grey has ${grey.length} samples, expected ${width * height}`);
  // The 2-D box average of a piecewise-constant image is separable: rows first, then columns.
  const tx = axisTaps(width, outW);
  const ty = axisTaps(height, outH);
  const mid = new Float64Array(outW * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let i = 0; i < outW; i++) {
      const a = tx.offset[i] ?? 0;
      const b = tx.offset[i + 1] ?? 0;
      let sum = 0;
      if (mirror) {
        // Source column x of the mirror is column width-1-x of grey.
        const f = row + width - 1 - (tx.first[i] ?? 0);
        for (let k = a; k < b; k++) sum += (tx.weights[k] ?? 0) * (grey[f - (k - a)] ?? 0);
      } else {
        const f = row + (tx.first[i] ?? 0);
        for (let k = a; k < b; k++) sum += (tx.weights[k] ?? 0) * (grey[f + (k - a)] ?? 0);
      }
      mid[y * outW + i] = sum;
    }
  }
  const out = new Float64Array(outW * outH);
  for (let j = 0; j < outH; j++) {
    const f = ty.first[j] ?? 0;
    const a = ty.offset[j] ?? 0;
    const b = ty.offset[j + 1] ?? 0;
    for (let i = 0; i < outW; i++) {
      let sum = 0;
      for (let k = a; k < b; k++) sum += (ty.weights[k] ?? 0) * (mid[(f + k - a) * outW + i] ?? 0);
      out[j * outW + i] = sum;
    }
  }
  return out;
}

/** Mirror a grey image left↔right. */
export function mirrorGrey(grey: Float64Array, width: number, height: number): Float64Array {
  checkSize(width, height);
  if (grey.length !== width * height) throw new RangeError(`grey has ${grey.length} samples, expected ${width * height}`);
  const out = new Float64Array(grey.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = grey[row + width - 1 - x] ?? 0;
  }
  return out;
}

/**
 * Orthonormal DCT-II basis, COS[u·32 + x] = s(u)·cos((2x+1)uπ/64) with
 * s(0) = √(1/32), s(u>0) = √(2/32). Only the 8 lowest frequencies are tabulated
 * because only the top-left 8×8 block is ever read; the other 24 rows of the
 * full 32×32 table would be computed and thrown away. The scaling does not
 * change any bit (only the ordering against the median matters); orthonormal
 * keeps coefficient magnitudes comparable to the pixel range.
 */
const COS: Float64Array = (() => {
  const t = new Float64Array(BLOCK * PHASH_SIZE);
  for (let u = 0; u < BLOCK; u++) {
    const s = Math.sqrt((u === 0 ? 1 : 2) / PHASH_SIZE);
    for (let x = 0; x < PHASH_SIZE; x++) t[u * PHASH_SIZE + x] = s * Math.cos(((2 * x + 1) * u * Math.PI) / (2 * PHASH_SIZE));
  }
  return t;
})();

/**
 * pHash of a 32×32 grey image (row-major, exactly 1024 samples).
 *
 * Bits: coefficient D[v][u] (v = vertical frequency = row of the block,
 * u = horizontal frequency = column) gives bit 8v + u, set when D[v][u] > m,
 * where m is the median of the 63 non-DC coefficients. 63 is odd, so m is
 * simply the 32nd smallest of them (no averaging of two middle values). A
 * coefficient equal to m gives 0, so exactly 31 non-DC bits are 1 when the
 * coefficients are distinct. The DC coefficient (32 × mean grey) is compared
 * with the same m rather than dropped, so the hash keeps 64 bits; for any
 * image with content it is far above m, so in practice bit 0 is 1 except for
 * black images. Coefficients within EPSILON·64·max|grey| of zero are treated as
 * exactly zero (rounding residue; see EPSILON).
 */
export function phashFromGrey32(grey32: Float64Array): string {
  const N = PHASH_SIZE;
  if (grey32.length !== N * N) throw new RangeError(`pHash needs 32×32 = 1024 samples, got ${grey32.length}`);
  // Rows: R[y][u] = Σx g[y][x]·C[u][x], only for the 8 frequencies kept.
  const rows = new Float64Array(N * BLOCK);
  let maxAbs = 0;
  for (let y = 0; y < N; y++) {
    const g = y * N;
    for (let x = 0; x < N; x++) {
      const a = Math.abs(grey32[g + x] ?? 0);
      if (a > maxAbs) maxAbs = a;
    }
    for (let u = 0; u < BLOCK; u++) {
      const c = u * N;
      let sum = 0;
      for (let x = 0; x < N; x++) sum += (grey32[g + x] ?? 0) * (COS[c + x] ?? 0);
      rows[y * BLOCK + u] = sum;
    }
  }
  // Columns: D[v][u] = Σy C[v][y]·R[y][u].
  const coeffs = new Float64Array(BLOCK * BLOCK);
  // |D| ≤ s(u)s(v)·Σ|g| ≤ (2/32)·1024·max|g| = 64·max|g|.
  const zero = EPSILON * 64 * maxAbs;
  for (let v = 0; v < BLOCK; v++) {
    const c = v * N;
    for (let u = 0; u < BLOCK; u++) {
      let sum = 0;
      for (let y = 0; y < N; y++) sum += (COS[c + y] ?? 0) * (rows[y * BLOCK + u] ?? 0);
      coeffs[v * BLOCK + u] = Math.abs(sum) <= zero ? 0 : sum;
    }
  }
  const median = medianOfOdd(coeffs.subarray(1));
  const bits = new Uint8Array(BLOCK * BLOCK);
  for (let k = 0; k < bits.length; k++) bits[k] = (coeffs[k] ?? 0) > median ? 1 : 0;
  return bitsToHex(bits);
}

/** Median of an odd number of values: the middle one after sorting. */
function medianOfOdd(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[(sorted.length - 1) >> 1] ?? 0;
}

/**
 * dHash of a grey image: area resize to 9×8, then bit 8r + c is set when
 * pixel (r, c) < pixel (r, c+1). Equal pixels (within EPSILON of the
 * thumbnail's largest magnitude) give 0, so flat images hash to all zeros.
 */
export function dhashFromGrey(grey: Float64Array, width: number, height: number): string {
  const small = resizeGrey(grey, width, height, BLOCK + 1, BLOCK);
  let maxAbs = 0;
  for (const v of small) if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
  const tol = EPSILON * maxAbs;
  const bits = new Uint8Array(BLOCK * BLOCK);
  for (let r = 0; r < BLOCK; r++) {
    for (let c = 0; c < BLOCK; c++) {
      const left = small[r * (BLOCK + 1) + c] ?? 0;
      const right = small[r * (BLOCK + 1) + c + 1] ?? 0;
      bits[r * BLOCK + c] = right - left > tol ? 1 : 0;
    }
  }
  return bitsToHex(bits);
}

/**
 * pHash, pHash of the left↔right mirror, and dHash of an RGBA image.
 *
 * phashMirrored runs the identical arithmetic on the mirrored full-resolution
 * grey image, so it equals computeImageHashes(mirrored image).phash bit for
 * bit. (Mirroring the 32×32 thumbnail instead would differ in rounding, which
 * can flip a bit whose coefficient sits at the median.)
 */
export function computeImageHashes(img: RgbaImage): ImageHashes {
  const { width, height } = img;
  const grey = toGrey(img);
  const phash = phashFromGrey32(resizeGrey(grey, width, height, PHASH_SIZE, PHASH_SIZE));
  const phashMirrored = phashFromGrey32(resample(grey, width, height, PHASH_SIZE, PHASH_SIZE, true));
  const dhash = dhashFromGrey(grey, width, height);
  return { phash, phashMirrored, dhash };
}

const HASH_RE = /^[0-9a-f]{16}$/;

/** Number of differing bits between two 16-hex-digit hashes. Throws on malformed input (programming error). */
export function hammingDistance(a: string, b: string): number {
  if (!HASH_RE.test(a) || !HASH_RE.test(b)) throw new TypeError(`not a 64-bit hex hash: ${JSON.stringify(HASH_RE.test(a) ? b : a)}`);
  // Two 32-bit halves: a 64-bit value does not fit a double exactly.
  const hi = parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16);
  const lo = parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16);
  return popcount32(hi) + popcount32(lo);
}

/** Set bits in the low 32 bits of x. */
export function popcount32(x: number): number {
  let v = x >>> 0;
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

/** 64 bits (each 0 or 1, most significant first) → 16 lowercase hex digits. */
function bitsToHex(bits: Uint8Array): string {
  let s = '';
  for (let k = 0; k < bits.length; k += 4) {
    const nibble = ((bits[k] ?? 0) << 3) | ((bits[k + 1] ?? 0) << 2) | ((bits[k + 2] ?? 0) << 1) | (bits[k + 3] ?? 0);
    s += nibble.toString(16);
  }
  return s;
}

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
  }
}
