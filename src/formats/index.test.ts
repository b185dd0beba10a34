import { describe, expect, it } from 'vitest';
import { FORMAT_CATALOG } from './catalog';
import { FORMATS, detectFormat } from './index';
import { describeFiles } from './describe';
import { prepareExport } from './shared/prepare';
import { encodeText } from './shared/text';
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

  it('names a format only when its own structure is there, not for a name or an extension alone', () => {
    const near: Record<string, string>[] = [
      { 'annotations/instances_train.json': '{"info": {}, "licenses": []}' },
      { 'data.csv': 'name,value\na,1\n' },
      { 'annotations.xml': '<annotations><note>hello</note></annotations>' },
      { 'Annotations/a.xml': '<dataset><item/></dataset>' },
      { 'x.xml': '<annotation><comment>none</comment></annotation>' },
      { 'tally.json': '{"hello": 1}' },
      { 'classes.txt': 'car\nbus\n' },
      { 'labels.json': '[{"file": "a.jpg", "boxes": []}]' },
      { 'ImageSets/Main/train.txt': 'a\nb\n' },
    ];
    for (const files of near) expect(detectFormat(new Map(Object.entries(files).map(([k, v]) => [k, encodeText(v)]))), Object.keys(files)[0]).toBeNull();
  });
});

describe('describeFiles (the "not a supported format" message)', () => {
  it('says what the files looked like', () => {
    const files = new Map(
      Object.entries({
        'a.json': '{"meta": {"x": 1}, "items": [{"deep": 1}], "count": 2}',
        'b.xml': '<?xml version="1.0"?><!-- c --><dataset><item><box/></item></dataset>',
        'c.txt': 'hello world\nsecond line',
        'd.json': '[{"file": "a.jpg"}]',
      }).map(([k, v]) => [k, encodeText(v)]),
    );
    expect(describeFiles(files)).toBe('a.json is a JSON object with keys "meta", "items", "count"; b.xml is XML with root <dataset> holding <item>, <box>; c.txt starts with “hello world”; and 1 more file');
    expect(describeFiles(new Map([['d.json', encodeText('[{"file": "a.jpg"}]')], ['e.bin', new Uint8Array()]]))).toBe('d.json is a JSON list of objects with keys "file"; e.bin is empty');
  });
});
