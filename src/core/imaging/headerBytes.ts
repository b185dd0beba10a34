/** Bounds-checked byte readers for header parsing (pure; never throw). */

// ---------------------------------------------------------------------------
// Bounds-checked readers. Each returns -1 when the read would leave the array,
// so callers can test a single sentinel instead of guarding every offset.

export function byteAt(b: Uint8Array, o: number): number {
  const v = b[o];
  return v === undefined ? -1 : v;
}

export function u16be(b: Uint8Array, o: number): number {
  if (o < 0 || o + 2 > b.length) return -1;
  return ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
}

export function u16le(b: Uint8Array, o: number): number {
  if (o < 0 || o + 2 > b.length) return -1;
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
}

export function u24le(b: Uint8Array, o: number): number {
  if (o < 0 || o + 3 > b.length) return -1;
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16);
}

/** Unsigned; multiplication instead of `<< 24` keeps values ≥ 2^31 positive. */
export function u32be(b: Uint8Array, o: number): number {
  if (o < 0 || o + 4 > b.length) return -1;
  return (b[o] ?? 0) * 0x1000000 + (((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0));
}

export function u32le(b: Uint8Array, o: number): number {
  if (o < 0 || o + 4 > b.length) return -1;
  return (b[o + 3] ?? 0) * 0x1000000 + (((b[o + 2] ?? 0) << 16) | ((b[o + 1] ?? 0) << 8) | (b[o] ?? 0));
}

/** Signed 32-bit little-endian; `null` when out of bounds (every int32 is a valid value here). */
export function i32le(b: Uint8Array, o: number): number | null {
  if (o < 0 || o + 4 > b.length) return null;
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24);
}

export function startsWith(b: Uint8Array, o: number, sig: readonly number[]): boolean {
  if (o < 0 || o + sig.length > b.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[o + i] !== sig[i]) return false;
  return true;
}

export function asciiAt(b: Uint8Array, o: number, s: string): boolean {
  if (o < 0 || o + s.length > b.length) return false;
  for (let i = 0; i < s.length; i++) if (b[o + i] !== s.charCodeAt(i)) return false;
  return true;
}

export function fourCC(b: Uint8Array, o: number): string {
  if (o < 0 || o + 4 > b.length) return '';
  return String.fromCharCode(b[o] ?? 0, b[o + 1] ?? 0, b[o + 2] ?? 0, b[o + 3] ?? 0);
}

export function u24be(b: Uint8Array, o: number): number {
  if (o < 0 || o + 3 > b.length) return -1;
  return ((b[o] ?? 0) << 16) | ((b[o + 1] ?? 0) << 8) | (b[o + 2] ?? 0);
}
