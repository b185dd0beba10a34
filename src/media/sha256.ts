import { sha256 } from '@noble/hashes/sha2.js';

const toHex = (digest: Uint8Array): string => {
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
};

/** SHA-256 of bytes as 64 lowercase hex digits (Web Crypto: browsers, workers and Node ≥ 19). */
export async function sha256Hex(data: BufferSource): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', data)));
}

/** Below this size a synchronous digest is cheaper than Web Crypto's async round trip. */
const SYNC_BELOW = 256 * 1024;

/**
 * SHA-256 of many small files (an export's label files): synchronous in JS for small ones —
 * a thousand awaits of Web Crypto cost more than the hashing — and Web Crypto for big ones.
 */
export async function sha256HexOfEach(files: readonly Uint8Array[]): Promise<string[]> {
  return Promise.all(files.map((f) => (f.length < SYNC_BELOW ? Promise.resolve(toHex(sha256(f))) : sha256Hex(f as Uint8Array<ArrayBuffer>))));
}
