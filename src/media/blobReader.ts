import type { RandomAccessReader } from '../formats/archive/zipReader';

const check = (blob: Blob, offset: number, length: number): void => {
  if (offset < 0 || length < 0 || offset + length > blob.size) {
    throw new RangeError(`read past the end (${offset}+${length} of ${blob.size} bytes)`);
  }
};

/** Random access to a Blob (a File, or a slice of one) without reading it whole. */
export function blobReader(blob: Blob): RandomAccessReader {
  return {
    size: blob.size,
    async read(offset, length) {
      check(blob, offset, length);
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
}

/**
 * Like blobReader, but reads a window of at least `window` bytes at a time and answers the
 * following reads from it: reading a zip's thousand small entries one after another costs a few
 * Blob reads instead of two each (each Blob read is an async round trip of ~1 ms). A Blob no
 * larger than the window is read once, whole.
 */
export function windowedBlobReader(blob: Blob, window = 4 * 1024 * 1024): RandomAccessReader {
  let start = 0;
  let cached: Uint8Array | null = null;
  return {
    size: blob.size,
    async read(offset, length) {
      check(blob, offset, length);
      if (!cached || offset < start || offset + length > start + cached.length) {
        const end = Math.min(blob.size, offset + Math.max(length, window));
        // A big read (an image) is not worth keeping: answer it and keep the window.
        if (length > window) return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
        start = blob.size <= window ? 0 : offset;
        cached = new Uint8Array(await blob.slice(start, blob.size <= window ? blob.size : end).arrayBuffer());
      }
      return cached.subarray(offset - start, offset - start + length);
    },
  };
}
