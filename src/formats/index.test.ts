import { describe, expect, it } from 'vitest';
import { FORMAT_CATALOG } from './catalog';
import { FORMATS, detectFormat } from './index';
import { prepareExport } from './shared/prepare';
import { GOLDEN_OPTIONS, goldenDataset } from '../test-support/datasets';

describe('the format registry', () => {
  it('lists the formats in the order and with the names of the catalog (UI-CONTRACT.md)', () => {
    expect(FORMATS.map((f) => ({ id: f.id, label: f.label }))).toEqual(FORMAT_CATALOG);
  });

  it("detects each format's own export as that format", () => {
    for (const format of FORMATS) {
      const prepared = prepareExport(goldenDataset(), format.shapes, format.keepsUnassigned === true).dataset;
      const { files } = format.serialize(prepared, GOLDEN_OPTIONS);
      expect(detectFormat(files)?.id, format.id).toBe(format.id);
    }
  });

  it('detects nothing in files of no known format', () => {
    expect(detectFormat(new Map([['notes.txt', new TextEncoder().encode('hello')]]))).toBeNull();
    expect(detectFormat(new Map())).toBeNull();
  });
});
