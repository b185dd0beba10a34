/**
 * The formats' ids and names, without their code: what the main thread needs for the Format
 * select and messages, so the parsers (and their XML, YAML and CSV libraries) load only in the
 * exchange worker. index.test.ts keeps this list equal to the formats themselves.
 */
import type { FormatId } from './types';

export const FORMAT_CATALOG: readonly { readonly id: FormatId; readonly label: string }[] = [
  { id: 'coco', label: 'COCO' },
  { id: 'yolo', label: 'YOLO' },
  { id: 'yolo-seg', label: 'YOLO segmentation' },
  { id: 'voc', label: 'Pascal VOC' },
  { id: 'cvat', label: 'CVAT XML' },
  { id: 'labelme', label: 'LabelMe' },
  { id: 'labelme-xml', label: 'LabelMe 3.0 XML' },
  { id: 'createml', label: 'Create ML' },
  { id: 'csv', label: 'CSV' },
  { id: 'tally', label: 'Tally' },
];

export const formatLabel = (id: FormatId): string => FORMAT_CATALOG.find((f) => f.id === id)?.label ?? id;
