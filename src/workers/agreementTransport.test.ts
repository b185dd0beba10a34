import { describe, expect, it } from 'vitest';
import { agreementSummary } from '../quality';
import { image, project, twoAnnotatorCase } from '../quality/testFixtures';
import type { AgreementSummary, ImageSummary } from '../quality';
import type { ImageId } from '../core/model';
import { packSummary, unpackSummary } from './agreementTransport';

const OPTIONS = { iouThreshold: 0.5, lowOverlapThreshold: 0.8, quorum: 0 };

describe('the agreement summary packed for the trip to the page', () => {
  it('comes back equal, for a real summary', () => {
    const [img1, img2] = [image(1), image(2)];
    const annotations = twoAnnotatorCase(img1, img2);
    const summary = agreementSummary({ project: project(), images: [img1, img2], annotations }, OPTIONS);
    expect(summary.images.length).toBe(2);
    const { packed, transfer } = packSummary(summary);
    expect(unpackSummary(structuredClone(packed, { transfer }))).toEqual(summary);
  });

  it('keeps order, odd numbers, shared and distinct annotator sets and the queue over many images', () => {
    const images: ImageSummary[] = Array.from({ length: 500 }, (_, i) => ({
      imageId: `img-${i}` as ImageId,
      annotators: i % 3 === 0 ? ['ana', 'bo'] : i % 3 === 1 ? ['ana', 'bo', 'cy'] : ['bo', 'cy'],
      meanF1: i === 7 ? 0.1 + 0.2 : 1 / (i + 1),
      disagreement: i === 7 ? 1 - (0.1 + 0.2) : 1 - 1 / (i + 1),
      counts: { missing: i % 5, extra: i % 7, labelMismatch: i, lowOverlap: 2 * i, attributeMismatch: i % 2 },
    }));
    const base = agreementSummary({ project: project(), images: [], annotations: [] }, OPTIONS);
    const summary: AgreementSummary = { ...base, images, queue: [...images].reverse().map((i) => i.imageId) };
    const { packed, transfer } = packSummary(summary);
    expect(packed.packed.annotatorSets).toHaveLength(3); // one array per distinct set, not per image
    expect(transfer).toHaveLength(5);
    const back = unpackSummary(structuredClone(packed, { transfer }));
    expect(back).toEqual(summary);
    expect(back.images[0]!.annotators).toBe(back.images[3]!.annotators);
  });

  it('an empty summary stays empty', () => {
    const summary = agreementSummary({ project: project(), images: [], annotations: [] }, OPTIONS);
    expect(unpackSummary(packSummary(summary).packed)).toEqual(summary);
  });

  it('refuses what it could not bring back: a queue naming an image without a summary', () => {
    const base = agreementSummary({ project: project(), images: [], annotations: [] }, OPTIONS);
    expect(() => packSummary({ ...base, queue: ['nowhere' as ImageId] })).toThrow(/without a summary: nowhere/);
  });
});
