import { describe, it, expect } from 'vitest';
import {
  computeImageHashes,
  dhashFromGrey,
  hammingDistance,
  mirrorGrey,
  phashFromGrey32,
  resizeGrey,
  toGrey,
  type RgbaImage,
} from './perceptualHash';
import { mulberry32 } from '../../core/prng';
import { HEAVY_TEST_MS } from '../../test-support/heavy';

// ---------------------------------------------------------------------------
// Test-only image helpers (independent of the code under test).


function rgba(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      const i = (y * width + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

/**
 * A "natural-like" scene: a smooth two-colour gradient in a random direction,
 * a soft low-frequency ripple, then a handful of random filled circles and
 * rectangles in random colours.
 */
function syntheticScene(seed: number, width = 640, height = 480): RgbaImage {
  const rand = mulberry32(seed);
  const colour = (): [number, number, number] => [rand() * 255, rand() * 255, rand() * 255];
  const c0 = colour();
  const c1 = colour();
  const angle = rand() * 2 * Math.PI;
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const rippleFx = (1 + rand() * 2) / width;
  const rippleFy = (1 + rand() * 2) / height;
  const ripplePhase = rand() * 2 * Math.PI;
  type Shape = { circle: boolean; cx: number; cy: number; a: number; b: number; c: [number, number, number] };
  const shapes: Shape[] = [];
  const count = 4 + Math.floor(rand() * 6);
  for (let i = 0; i < count; i++) {
    shapes.push({
      circle: rand() < 0.5,
      cx: rand() * width,
      cy: rand() * height,
      a: 20 + rand() * 140,
      b: 20 + rand() * 140,
      c: colour(),
    });
  }
  const diag = Math.hypot(width, height);
  return rgba(width, height, (x, y) => {
    const t = Math.min(1, Math.max(0, 0.5 + ((x - width / 2) * dx + (y - height / 2) * dy) / diag));
    const ripple = 30 * Math.sin(2 * Math.PI * (x * rippleFx + y * rippleFy) + ripplePhase);
    let px: [number, number, number] = [
      c0[0] + (c1[0] - c0[0]) * t + ripple,
      c0[1] + (c1[1] - c0[1]) * t + ripple,
      c0[2] + (c1[2] - c0[2]) * t + ripple,
    ];
    for (const s of shapes) {
      const inside = s.circle ? Math.hypot(x - s.cx, y - s.cy) < s.a : Math.abs(x - s.cx) < s.a && Math.abs(y - s.cy) < s.b;
      if (inside) px = s.c;
    }
    return px;
  });
}

/** Bilinear resample with pixel-centre alignment (no prefilter, as a naive thumbnailer would). */
function bilinear(img: RgbaImage, outW: number, outH: number): RgbaImage {
  const { width, height, data } = img;
  const at = (x: number, y: number, c: number): number => data[(y * width + x) * 4 + c] ?? 0;
  const out = new Uint8ClampedArray(outW * outH * 4);
  for (let j = 0; j < outH; j++) {
    const sy = Math.min(height - 1, Math.max(0, ((j + 0.5) * height) / outH - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(height - 1, y0 + 1);
    const fy = sy - y0;
    for (let i = 0; i < outW; i++) {
      const sx = Math.min(width - 1, Math.max(0, ((i + 0.5) * width) / outW - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = sx - x0;
      for (let c = 0; c < 4; c++) {
        const top = at(x0, y0, c) * (1 - fx) + at(x1, y0, c) * fx;
        const bottom = at(x0, y1, c) * (1 - fx) + at(x1, y1, c) * fx;
        out[(j * outW + i) * 4 + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return { width: outW, height: outH, data: out };
}

function brighten(img: RgbaImage, delta: number): RgbaImage {
  const data = Uint8ClampedArray.from(img.data);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = (data[i] ?? 0) + delta;
    data[i + 1] = (data[i + 1] ?? 0) + delta;
    data[i + 2] = (data[i + 2] ?? 0) + delta;
  }
  return { width: img.width, height: img.height, data };
}

function mirrorRgba(img: RgbaImage): RgbaImage {
  const { width, height, data } = img;
  const out = new Uint8ClampedArray(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + (width - 1 - x)) * 4;
      out.set(data.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data: out };
}

const closeArray = (actual: Float64Array, expected: number[]): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 10));
};

// ---------------------------------------------------------------------------

describe('toGrey', () => {
  it('applies BT.601 weights and ignores alpha', () => {
    const img: RgbaImage = {
      width: 4,
      height: 1,
      data: Uint8Array.from([255, 0, 0, 0, 0, 255, 0, 17, 0, 0, 255, 255, 10, 20, 30, 128]),
    };
    // 0.299·255 = 76.245; 0.587·255 = 149.685; 0.114·255 = 29.07; 2.99 + 11.74 + 3.42 = 18.15
    closeArray(toGrey(img), [76.245, 149.685, 29.07, 18.15]);
  });

  it('rejects data shorter than width·height·4', () => {
    expect(() => toGrey({ width: 2, height: 2, data: new Uint8Array(15) })).toThrow(RangeError);
  });
});

describe('resizeGrey', () => {
  it('averages 2×2 blocks when halving 4×4', () => {
    const g = Float64Array.from({ length: 16 }, (_, i) => i + 1);
    // (1+2+5+6)/4, (3+4+7+8)/4, (9+10+13+14)/4, (11+12+15+16)/4
    closeArray(resizeGrey(g, 4, 4, 2, 2), [3.5, 5.5, 11.5, 13.5]);
  });

  it('weights fractional coverage when shrinking 3×3 to 2×2', () => {
    // 1 2 3 / 4 5 6 / 7 8 9. Each output covers 1.5×1.5 source pixels (area 2.25):
    // a corner pixel fully (1), two edge pixels by half (0.5), the centre by a quarter (0.25).
    // TL: (1 + 0.5·2 + 0.5·4 + 0.25·5) / 2.25 = 5.25 / 2.25 = 7/3
    // TR: (3 + 0.5·2 + 0.5·6 + 0.25·5) / 2.25 = 8.25 / 2.25 = 11/3
    // BL: (7 + 0.5·4 + 0.5·8 + 0.25·5) / 2.25 = 14.25 / 2.25 = 19/3
    // BR: (9 + 0.5·6 + 0.5·8 + 0.25·5) / 2.25 = 17.25 / 2.25 = 23/3
    const g = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    closeArray(resizeGrey(g, 3, 3, 2, 2), [7 / 3, 11 / 3, 19 / 3, 23 / 3]);
  });

  it('upsamples by area: 2×1 to 3×1 blends only the middle output', () => {
    // Outputs cover [0,⅔), [⅔,4⁄3), [4⁄3,2): the middle one is half of each source pixel.
    closeArray(resizeGrey(Float64Array.from([10, 20]), 2, 1, 3, 1), [10, 15, 20]);
  });

  it('is the identity at the same size and rejects a wrong sample count', () => {
    const g = Float64Array.from([1, 7, 3, 9, 4, 2]);
    closeArray(resizeGrey(g, 3, 2, 3, 2), [1, 7, 3, 9, 4, 2]);
    expect(() => resizeGrey(g, 4, 2, 2, 2)).toThrow(RangeError);
  });
});

describe('mirrorGrey', () => {
  it('reverses each row', () => {
    expect([...mirrorGrey(Float64Array.from([1, 2, 3, 4, 5, 6]), 3, 2)]).toEqual([3, 2, 1, 6, 5, 4]);
  });
});

describe('phashFromGrey32', () => {
  const split = (leftValue: number, rightValue: number): Float64Array =>
    Float64Array.from({ length: 1024 }, (_, i) => (i % 32 < 16 ? leftValue : rightValue));

  it('hashes a left-black / right-white image to 9100000000000000', () => {
    // Every row is the same, so only the first row of the 8×8 block (vertical
    // frequency v = 0) is non-zero. Along x, the step minus its mean is
    // antisymmetric about the centre, so even horizontal frequencies vanish;
    // for odd u, Σ_{x=16..31} cos((2x+1)uπ/64) = −sin(uπ/2) / (2 sin(uπ/64)),
    // negative for u = 1, 5 and positive for u = 3, 7. The DC is 32·127.5 > 0.
    // The 63 non-DC values are two negatives, two positives and 59 zeros, so
    // the median is 0 and only DC, u=3 and u=7 exceed it:
    // row 0 = 1001 0001 = 0x91, rows 1–7 = 0.
    expect(phashFromGrey32(split(0, 255))).toBe('9100000000000000');
  });

  it('flips odd horizontal frequencies for the mirror image: c400000000000000', () => {
    // Mirroring negates odd-u coefficients: now u = 1, 5 are positive → 1100 0100 = 0xc4.
    expect(phashFromGrey32(split(255, 0))).toBe('c400000000000000');
  });

  it('puts vertical frequencies in later rows: top-black / bottom-white is 8000008000000080', () => {
    // Transposed case: column u = 0 of the block holds DC, v = 3 and v = 7 as ones,
    // i.e. bits 0, 24 and 56 → hex digits 0, 6 and 14 are 8.
    const g = Float64Array.from({ length: 1024 }, (_, i) => (i < 512 ? 0 : 255));
    expect(phashFromGrey32(g)).toBe('8000008000000080');
  });

  it('constant images: every AC coefficient is 0, so only the DC bit can be set', () => {
    // DC = 32·c > 0 = median → 1 for any non-black constant; black has DC 0 → all zeros.
    expect(phashFromGrey32(new Float64Array(1024).fill(100.3))).toBe('8000000000000000');
    expect(phashFromGrey32(new Float64Array(1024))).toBe('0000000000000000');
  });

  it('rejects anything but 1024 samples', () => {
    expect(() => phashFromGrey32(new Float64Array(1023))).toThrow(RangeError);
  });
});

describe('dhashFromGrey', () => {
  it('hashes a 64×64 left-black / right-white image to 1818181818181818', () => {
    // The 9 columns each cover 64/9 ≈ 7.11 source columns. Columns 0–3 end
    // before x = 28.45 (all black), column 4 spans [28.44, 35.56) and is half
    // black, half white (127.5), columns 5–8 are white. Left < right only
    // between columns 3→4 and 4→5: bits 3 and 4 of each row → 0001 1000 = 0x18.
    const g = Float64Array.from({ length: 64 * 64 }, (_, i) => (i % 64 < 32 ? 0 : 255));
    expect(dhashFromGrey(g, 64, 64)).toBe('1818181818181818');
  });

  it('is all zeros for a flat image, whatever rounding the resize leaves', () => {
    expect(dhashFromGrey(new Float64Array(97 * 61).fill(123.456), 97, 61)).toBe('0000000000000000');
  });
});

describe('hammingDistance', () => {
  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000000', '0000000000000000')).toBe(1);
    expect(hammingDistance('0000000000000001', '0000000000000000')).toBe(1);
    expect(hammingDistance('9100000000000000', 'c400000000000000')).toBe(4);
    expect(hammingDistance('0123456789abcdef', '0123456789abcdef')).toBe(0);
  });

  it('throws on malformed hashes', () => {
    expect(() => hammingDistance('xyz', '0000000000000000')).toThrow();
    expect(() => hammingDistance('0000000000000000', '000000000000000')).toThrow();
    expect(() => hammingDistance('000000000000000g', '0000000000000000')).toThrow();
  });
});

describe('computeImageHashes', () => {
  it('matches the hand-derived values for a left-black / right-white image, including the mirror', () => {
    const img = rgba(64, 64, (x) => (x < 32 ? [0, 0, 0] : [255, 255, 255]));
    expect(computeImageHashes(img)).toEqual({ phash: '9100000000000000', phashMirrored: 'c400000000000000', dhash: '1818181818181818' });
  });

  it('constant colour: pHash is the DC bit only, dHash is zero', () => {
    const img = rgba(37, 23, () => [200, 120, 40]);
    expect(computeImageHashes(img)).toEqual({ phash: '8000000000000000', phashMirrored: '8000000000000000', dhash: '0000000000000000' });
  });

  const scenes = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => syntheticScene(seed * 7919));
  const hashes = scenes.map(computeImageHashes);

  it('every hash is 16 lowercase hex digits', () => {
    for (const h of hashes) for (const v of Object.values(h)) expect(v).toMatch(/^[0-9a-f]{16}$/);
  });

  it('resized copies stay within 4 bits (pHash) and 6 bits (dHash)', () => {
    scenes.forEach((scene, i) => {
      const h = hashes[i];
      if (h === undefined) throw new Error('missing hash');
      for (const [w, hgt] of [
        [320, 240],
        [213, 160],
      ] as const) {
        const small = computeImageHashes(bilinear(scene, w, hgt));
        expect(hammingDistance(small.phash, h.phash)).toBeLessThanOrEqual(4);
        expect(hammingDistance(small.dhash, h.dhash)).toBeLessThanOrEqual(6);
      }
    });
  }, HEAVY_TEST_MS);

  it('a +10 brightness change stays within 4 bits', () => {
    scenes.forEach((scene, i) => {
      expect(hammingDistance(computeImageHashes(brighten(scene, 10)).phash, hashes[i]?.phash ?? '')).toBeLessThanOrEqual(4);
    });
  }, HEAVY_TEST_MS);

  it('unrelated scenes are more than 20 bits apart', () => {
    for (let i = 0; i < hashes.length; i++) {
      for (let j = i + 1; j < hashes.length; j++) {
        expect(hammingDistance(hashes[i]?.phash ?? '', hashes[j]?.phash ?? '')).toBeGreaterThan(20);
      }
    }
  });

  it("the mirrored image's pHash equals the original's phashMirrored exactly, and vice versa", () => {
    scenes.forEach((scene, i) => {
      const m = computeImageHashes(mirrorRgba(scene));
      expect(m.phash).toBe(hashes[i]?.phashMirrored);
      expect(m.phashMirrored).toBe(hashes[i]?.phash);
    });
  }, HEAVY_TEST_MS);

  it('computes 1,000 hashes of a 192×108 thumbnail, deterministically', () => {
    const thumb = bilinear(syntheticScene(42), 192, 108);
    const first = computeImageHashes(thumb);
    let last = first;
    for (let n = 0; n < 1000; n++) last = computeImageHashes(thumb);
    expect(last).toEqual(first);
  }, HEAVY_TEST_MS);
});
