/** SHA-256 of bytes as 64 lowercase hex digits (Web Crypto: browsers, workers and Node ≥ 19). */
export async function sha256Hex(data: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}
