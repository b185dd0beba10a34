import type { RandomAccessReader } from '../formats/archive/zipReader';

/** Random access to a Blob (a File, or a slice of one) without reading it whole. */
export function blobReader(blob: Blob): RandomAccessReader {
  return {
    size: blob.size,
    async read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > blob.size) {
        throw new RangeError(`read past the end (${offset}+${length} of ${blob.size} bytes)`);
      }
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
}
