/** Decoding of ZIP entry names: CP437 by default, UTF-8 when flag bit 11 is set. No TextDecoder in the pure core. */
import { FLAG_UTF8 } from './zipFormat';

/** Upper half of IBM code page 437 (bytes 0x80–0xFF), which APPNOTE names as the default name encoding. */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** `valid` is false when UTF-8 was required but the bytes were not well-formed (U+FFFD marks the spots). */
export function decodeName(bytes: Uint8Array, flags: number): { text: string; valid: boolean } {
  return (flags & FLAG_UTF8) !== 0 ? decodeUtf8(bytes) : { text: decodeCp437(bytes), valid: true };
}

/** Bytes below 0x80 map to ASCII: in names, 0x00–0x1F are control characters, not CP437's graphics, and get refused as such. */
export function decodeCp437(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte < 0x80 ? String.fromCharCode(byte) : (CP437_HIGH[byte - 0x80] ?? '\ufffd');
  return text;
}

/** Strict UTF-8 (RFC 3629): rejects overlong forms, surrogates and code points above U+10FFFF. */
export function decodeUtf8(bytes: Uint8Array): { text: string; valid: boolean } {
  // Most names are ASCII: one character per byte, without the code point list.
  if (bytes.length <= 1024) {
    let text = '';
    let i = 0;
    for (; i < bytes.length && bytes[i]! < 0x80; i++) text += String.fromCharCode(bytes[i]!);
    if (i === bytes.length) return { text, valid: true };
  }
  const codePoints: number[] = [];
  let valid = true;
  let i = 0;
  const continuation = (k: number): number => {
    const byte = bytes[i + k];
    return byte !== undefined && (byte & 0xc0) === 0x80 ? byte & 0x3f : -1;
  };
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    let codePoint = -1;
    let length = 1;
    if (lead < 0x80) {
      codePoint = lead;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      const c1 = continuation(1);
      if (c1 >= 0) [codePoint, length] = [((lead & 0x1f) << 6) | c1, 2];
    } else if (lead >= 0xe0 && lead <= 0xef) {
      const c1 = continuation(1);
      const c2 = continuation(2);
      const value = ((lead & 0x0f) << 12) | (c1 << 6) | c2;
      if (c1 >= 0 && c2 >= 0 && value >= 0x800 && (value < 0xd800 || value > 0xdfff)) [codePoint, length] = [value, 3];
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      const c1 = continuation(1);
      const c2 = continuation(2);
      const c3 = continuation(3);
      const value = ((lead & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (c1 >= 0 && c2 >= 0 && c3 >= 0 && value >= 0x10000 && value <= 0x10ffff) [codePoint, length] = [value, 4];
    }
    if (codePoint < 0) {
      valid = false;
      codePoint = 0xfffd;
      length = 1;
    }
    codePoints.push(codePoint);
    i += length;
  }
  let text = '';
  // Chunked so a 64 KB name cannot exceed the engine's argument limit.
  for (let at = 0; at < codePoints.length; at += 4096) text += String.fromCodePoint(...codePoints.slice(at, at + 4096));
  return { text, valid };
}
