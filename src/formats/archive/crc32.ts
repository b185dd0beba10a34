/** CRC-32 (IEEE), as ZIP records it for every entry. */

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) of `data`, continuing from `crc` (the CRC of the preceding bytes; 0 to start). Unsigned 32-bit result. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) {
    // Both indexes are in range by construction (i < length, the table has 256 slots).
    c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  }
  return ~c >>> 0;
}

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();
