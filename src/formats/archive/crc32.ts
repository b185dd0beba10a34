/** CRC-32 (IEEE), as ZIP records it for every entry. */

/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) of `data`, continuing from `crc` (the CRC
 * of the preceding bytes; 0 to start). Unsigned 32-bit result.
 *
 * Eight bytes per step ("slicing by 8": eight tables, the k-th giving the CRC contribution of a
 * byte followed by k zero bytes), then byte by byte for the tail: an export computes it over
 * every file it writes and again over every file it reads back, and this is several times faster
 * than one table lookup per byte.
 */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  const n = data.length;
  let i = 0;
  // All indexes below are in range by construction (i + 7 < n; each table has 256 slots).
  for (const end = n - (n % 8); i < end; i += 8) {
    const lo = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    c =
      T7[lo & 0xff]! ^
      T6[(lo >>> 8) & 0xff]! ^
      T5[(lo >>> 16) & 0xff]! ^
      T4[lo >>> 24]! ^
      T3[data[i + 4]!]! ^
      T2[data[i + 5]!]! ^
      T1[data[i + 6]!]! ^
      T0[data[i + 7]!]!;
  }
  for (; i < n; i++) c = T0[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** TABLES[k][b]: the CRC register after byte b followed by k zero bytes (k = 0 is the classic table). */
const TABLES: readonly Uint32Array[] = (() => {
  const t0 = new Uint32Array(256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[b] = c >>> 0;
  }
  const tables = [t0];
  for (let k = 1; k < 8; k++) {
    const prev = tables[k - 1]!;
    const t = new Uint32Array(256);
    for (let b = 0; b < 256; b++) t[b] = (t0[prev[b]! & 0xff]! ^ (prev[b]! >>> 8)) >>> 0;
    tables.push(t);
  }
  return tables;
})();
const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
