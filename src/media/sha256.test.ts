import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256HexOfEach } from './sha256';

// Expected values from FIPS 180-2, appendix B, and for the empty message.
describe('sha256Hex', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it('matches the standard test vectors', async () => {
    expect(await sha256Hex(bytes(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex(bytes('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex(bytes('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });
  it('hashes a million "a"s', async () => {
    expect(await sha256Hex(new Uint8Array(1_000_000).fill(0x61))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });
});

describe('sha256HexOfEach', () => {
  it('gives the same digests as Web Crypto, for small and big files', async () => {
    const files = [new Uint8Array(0), new TextEncoder().encode('abc'), new Uint8Array(300_000).map((_, i) => i & 0xff)];
    const want = await Promise.all(files.map((f) => sha256Hex(f)));
    expect(await sha256HexOfEach(files)).toEqual(want);
    expect(want[1]).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
