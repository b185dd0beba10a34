import { strFromU8, strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ProjectSettings } from '../../core/model';
import { qualitySettingsOf } from '../../quality';
import { AGREEMENT_FILES } from '../../quality/agreementFiles';
import { agreementCsvZip, fewAnnotatorsMessage, reviewSettingsOf, withReviewSettings } from './reviewData';

const SETTINGS: ProjectSettings = { iouThreshold: 0.5, splitRatios: { train: 0.8, val: 0.1, test: 0.1 }, maxImageMegapixels: 100, quality: { tinyBoxMinSide: 4 } };

describe('withReviewSettings', () => {
  it('stores τ as the IoU threshold and τ_low and the quorum as quality settings, keeping the others', () => {
    const next = withReviewSettings(SETTINGS, { iouThreshold: 0.4, lowOverlapThreshold: 0.7, quorum: 2 });
    expect(next.iouThreshold).toBe(0.4);
    expect(next.quality).toEqual({ tinyBoxMinSide: 4, lowOverlapIoU: 0.7, quorum: 2 });
    const read = qualitySettingsOf(next);
    expect(read.ok && reviewSettingsOf({ iouThreshold: read.value.matchIoU, lowOverlapThreshold: read.value.lowOverlapIoU, quorum: read.value.quorum })).toEqual({
      iouThreshold: 0.4,
      lowOverlapThreshold: 0.7,
      quorum: 2,
    });
  });

  it('drops a value back at its default (the project follows later defaults)', () => {
    const changed = withReviewSettings(SETTINGS, { iouThreshold: 0.5, lowOverlapThreshold: 0.7, quorum: 2 });
    const back = withReviewSettings(changed, { iouThreshold: 0.5, lowOverlapThreshold: 0.8, quorum: 0 });
    expect(back.quality).toEqual({ tinyBoxMinSide: 4 });
  });
});

describe('fewAnnotatorsMessage', () => {
  it('names the one annotator, says none when there is none, and nothing from two on', () => {
    expect(fewAnnotatorsMessage(['ana'])).toBe("Review compares annotators' layers: this project has one (ana). Import another annotator's work with Import annotations.");
    expect(fewAnnotatorsMessage([])).toContain("this project has no annotator's shapes yet.");
    expect(fewAnnotatorsMessage(['ana', 'bob'])).toBeNull();
  });
});

describe('agreementCsvZip', () => {
  it('holds the three CSVs and not the JSON', () => {
    const files = new Map([
      [AGREEMENT_FILES.images, strToU8('images')],
      [AGREEMENT_FILES.pairs, strToU8('pairs')],
      [AGREEMENT_FILES.classes, strToU8('classes')],
      [AGREEMENT_FILES.json, strToU8('{}')],
    ]);
    const zip = unzipSync(agreementCsvZip(files));
    expect(Object.keys(zip).sort()).toEqual([AGREEMENT_FILES.classes, AGREEMENT_FILES.images, AGREEMENT_FILES.pairs].sort());
    expect(strFromU8(zip[AGREEMENT_FILES.pairs]!)).toBe('pairs');
  });
});
