import type { AnnotationId, ClassId, DecisionId, ImageId, LayerId, ProjectId } from './model';

// getRandomValues exists in every place the core runs (browsers, workers, Node ≥ 19); the core
// is compiled without DOM or Node types, so it is declared here rather than borrowed from them.
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

/** Ids made from one draw of random bytes (an import of 5,000 shapes makes 5,000 ids). */
const POOL_IDS = 256;
const pool = new Uint8Array(16 * POOL_IDS);
let next = POOL_IDS;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A new random id: a UUID v4 (RFC 9562: 122 random bits, version 4, variant 10), from the
 * platform's cryptographic generator. Formatted here from bytes drawn 256 ids at a time, because
 * `crypto.randomUUID()` costs a call into the browser per id (about 10 µs: 50 ms for an import of
 * 5,000 shapes). Ids are opaque: never parse them.
 */
export function newId(): string {
  if (next === POOL_IDS) {
    crypto.getRandomValues(pool);
    next = 0;
  }
  const o = 16 * next++;
  const b = pool;
  const h = (i: number): string => HEX[b[o + i]!]!;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${HEX[(b[o + 6]! & 0x0f) | 0x40]}${h(7)}-${HEX[(b[o + 8]! & 0x3f) | 0x80]}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

export const newProjectId = (): ProjectId => newId() as ProjectId;
export const newImageId = (): ImageId => newId() as ImageId;
export const newClassId = (): ClassId => newId() as ClassId;
export const newAnnotationId = (): AnnotationId => newId() as AnnotationId;
export const newLayerId = (): LayerId => newId() as LayerId;
export const newDecisionId = (): DecisionId => newId() as DecisionId;
