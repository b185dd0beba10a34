/**
 * CVAT for images 1.1, the writer (the layout and the rules are in cvat.ts's comment).
 */
import { uniqueNames } from './shared/names';
import { splitName } from './shared/splits';
import { encodeText, escapeXml } from './shared/text';
import type { Dataset, DatasetAnnotation, ExportNote, SerializeOptions, SerializeResult } from './types';

/** The flags every label declares as checkbox attributes (occluded is CVAT's own). */
export const BUILT_IN = ['truncated', 'difficult'] as const;

// ---------------------------------------------------------------------------------------------
// Export

/** An XML attribute value: the five entities, and line breaks and tabs as character references (attribute values are whitespace-normalised otherwise). */
const attr = (text: string): string => escapeXml(text).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Hundredths of a pixel → CVAT's fixed 2 decimals. */
const fixed2 = (hundredths: number): string => (hundredths === 0 ? '0.00' : (hundredths / 100).toFixed(2));

/** One axis of a box in hundredths: [lo, hi] rounded, widened by 0.01 px when rounding made it empty. */
function span(lo: number, hi: number, size: number): { lo: number; hi: number; widened: boolean } {
  const a = Math.round(lo * 100);
  const b = Math.round(hi * 100);
  if (b > a) return { lo: a, hi: b, widened: false };
  const limit = Math.round(size * 100);
  return b + 1 <= limit ? { lo: a, hi: a + 1, widened: true } : { lo: b - 1, hi: b, widened: true };
}

interface Declared {
  readonly name: string;
  readonly inputType: 'checkbox' | 'select' | 'text';
  readonly values: readonly string[];
  readonly defaultValue: string;
}

/** The attributes declared for each class: truncated and difficult, the class's own, and any other name its shapes carry. */
function declarations(dataset: Dataset): Map<string, Declared[]> {
  const out = new Map<string, Declared[]>();
  for (const c of dataset.classes) {
    const list: Declared[] = BUILT_IN.map((name) => ({ name, inputType: 'checkbox', values: ['false'], defaultValue: 'false' }));
    const seen = new Set<string>([...BUILT_IN, 'occluded']);
    for (const spec of c.attributes ?? []) {
      if (seen.has(spec.name)) continue;
      seen.add(spec.name);
      if (spec.type === 'boolean') list.push({ name: spec.name, inputType: 'checkbox', values: ['false'], defaultValue: 'false' });
      else if (spec.type === 'select' && spec.options.length > 0) list.push({ name: spec.name, inputType: 'select', values: spec.options, defaultValue: spec.options[0]! });
      else list.push({ name: spec.name, inputType: 'text', values: [], defaultValue: '' });
    }
    const extra = new Map<string, boolean>();
    for (const a of dataset.annotations) {
      if (a.className !== c.name) continue;
      for (const [k, v] of Object.entries(a.attributes.custom ?? {})) {
        if (!seen.has(k)) extra.set(k, (extra.get(k) ?? true) && typeof v === 'boolean');
      }
    }
    for (const [name, bool] of extra) {
      list.push(bool ? { name, inputType: 'checkbox', values: ['false'], defaultValue: 'false' } : { name, inputType: 'text', values: [], defaultValue: '' });
    }
    out.set(c.name, list);
  }
  return out;
}

export function serializeCvat(dataset: Dataset, options: SerializeOptions): SerializeResult {
  const { names, notes: renameNotes } = uniqueNames(dataset.images, (i) => splitName(dataset.images[i]!.split), false);
  const notes: ExportNote[] = [...renameNotes];
  const exported = dataset.images.map((img, i) => `${splitName(img.split)}/${names[i]!}`);
  const order = exported.map((_, i) => i).sort((a, b) => (exported[a]! < exported[b]! ? -1 : exported[a]! > exported[b]! ? 1 : a - b));
  const perImage: DatasetAnnotation[][] = dataset.images.map(() => []);
  for (const a of dataset.annotations) perImage[a.image]?.push(a);
  const declared = declarations(dataset);

  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<annotations>',
    '  <version>1.1</version>',
    '  <meta>',
    '    <task>',
    `      <name>${escapeXml(dataset.project?.name ?? 'Tally export')}</name>`,
    `      <size>${dataset.images.length}</size>`,
    '      <mode>annotation</mode>',
    '      <overlap>0</overlap>',
    '      <start_frame>0</start_frame>',
    `      <stop_frame>${Math.max(0, dataset.images.length - 1)}</stop_frame>`,
    '      <labels>',
  ];
  for (const c of dataset.classes) {
    out.push('        <label>', `          <name>${escapeXml(c.name)}</name>`);
    if (c.color) out.push(`          <color>${escapeXml(c.color)}</color>`);
    out.push('          <attributes>');
    for (const d of declared.get(c.name) ?? []) {
      out.push(
        '            <attribute>',
        `              <name>${escapeXml(d.name)}</name>`,
        '              <mutable>False</mutable>',
        `              <input_type>${d.inputType}</input_type>`,
        `              <default_value>${escapeXml(d.defaultValue)}</default_value>`,
        `              <values>${escapeXml(d.values.join('\n'))}</values>`,
        '            </attribute>',
      );
    }
    out.push('          </attributes>', '        </label>');
  }
  out.push('      </labels>', '    </task>', `    <dumped>${escapeXml(options.createdAt)}</dumped>`, '  </meta>');

  order.forEach((i, id) => {
    const img = dataset.images[i]!;
    out.push(`  <image id="${id}" name="${attr(exported[i]!)}" subset="${splitName(img.split)}" width="${img.width}" height="${img.height}">`);
    for (const a of perImage[i]!) {
      const common = `label="${attr(a.className)}" occluded="${a.attributes.occluded ? 1 : 0}"`;
      const values: string[] = [];
      for (const name of BUILT_IN) values.push(`      <attribute name="${name}">${a.attributes[name] ? 'true' : 'false'}</attribute>`);
      for (const [k, v] of Object.entries(a.attributes.custom ?? {})) {
        if ((BUILT_IN as readonly string[]).includes(k) || k === 'occluded') continue;
        values.push(`      <attribute name="${attr(k)}">${escapeXml(typeof v === 'boolean' ? String(v) : v)}</attribute>`);
      }
      if (a.shape.kind === 'box') {
        const x = span(a.shape.x, a.shape.x + a.shape.w, img.width);
        const y = span(a.shape.y, a.shape.y + a.shape.h, img.height);
        if (x.widened || y.widened) notes.push({ kind: 'changed', image: img.relativePath, message: `a box of class "${a.className}" narrower than 0.01 px was written 0.01 px ${x.widened ? 'wide' : 'high'}` });
        out.push(`    <box ${common} xtl="${fixed2(x.lo)}" ytl="${fixed2(y.lo)}" xbr="${fixed2(x.hi)}" ybr="${fixed2(y.hi)}" z_order="0">`, ...values, '    </box>');
      } else {
        const pts: string[] = [];
        for (let k = 0; k + 1 < a.shape.points.length; k += 2) pts.push(`${fixed2(Math.round(a.shape.points[k]! * 100))},${fixed2(Math.round(a.shape.points[k + 1]! * 100))}`);
        out.push(`    <polygon ${common} points="${pts.join(';')}" z_order="0">`, ...values, '    </polygon>');
      }
    }
    out.push('  </image>');
  });
  out.push('</annotations>', '');

  return {
    files: new Map([['annotations.xml', encodeText(out.join('\n'))]]),
    imagePaths: exported.map((n) => `images/${n}`),
    imageRefs: exported,
    notes,
  };
}

