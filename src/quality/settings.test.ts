import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../core/model';
import { DEFAULT_QUALITY_SETTINGS, qualitySettingsOf } from './settings';

describe('qualitySettingsOf', () => {
  it('is the defaults, with τ taken from the project IoU threshold', () => {
    expect(qualitySettingsOf({ ...DEFAULT_SETTINGS, iouThreshold: 0.4 })).toEqual({ ok: true, value: { ...DEFAULT_QUALITY_SETTINGS, matchIoU: 0.4 } });
  });

  it('applies the project overrides and ignores names it does not know', () => {
    const r = qualitySettingsOf({ ...DEFAULT_SETTINGS, quality: { tinyBoxMinSide: 4, rareClassMinInstances: 25, notASetting: 3 } });
    expect(r.ok && r.value.tinyBoxMinSide).toBe(4);
    expect(r.ok && r.value.rareClassMinInstances).toBe(25);
    expect(r.ok && 'notASetting' in r.value).toBe(false);
  });

  it('names the field when a stored value is out of range', () => {
    expect(qualitySettingsOf({ ...DEFAULT_SETTINGS, quality: { lowOverlapIoU: 1.5 } })).toEqual({ ok: false, message: 'Quality setting “lowOverlapIoU” must be an IoU in (0, 1] (got 1.5).' });
  });
});
