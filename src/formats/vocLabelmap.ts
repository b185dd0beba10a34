/**
 * Pascal VOC's `labelmap.txt`, as CVAT's VOC export writes it and Datumaro reads it: one
 * `name:r,g,b:parts:actions` line per label after a `#` header and `background:0,0,0::`. Writing
 * it lets CVAT and Datumaro load classes outside VOC's twenty; reading it gives the classes in its
 * order with its colours.
 */
import { diagnostic } from './shared/readShape';
import { decodeText } from './shared/text';
import type { Dataset, Diagnostic } from './types';
import type { ClassCollector } from './xmlTree';

export const LABELMAP = 'labelmap.txt';

/** `#rrggbb` → `r,g,b`; '' for a class without a colour (the readers then pick one). */
function rgbOf(color: string | undefined): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color ?? '');
  return m ? [m[1]!, m[2]!, m[3]!].map((h) => parseInt(h, 16)).join(',') : '';
}

/** labelmap.txt, or why it cannot be written (its fields are ':'-separated lines). */
export function labelmapText(classes: Dataset['classes']): string | { readonly notWritten: string } {
  const odd = classes.find((c) => /[:\r\n]/.test(c.name) || c.name.trim().toLowerCase() === 'background');
  if (odd) return { notWritten: `labelmap.txt not written: the class "${odd.name}" ${/[:\r\n]/.test(odd.name) ? 'holds a colon or a line break, which its name:color:parts:actions lines cannot hold' : 'is called like VOC\'s background label'}; CVAT and Datumaro then take classes from the XML files` };
  return ['# label:color_rgb:parts:actions', 'background:0,0,0::', ...classes.map((c) => `${c.name}:${rgbOf(c.color)}::`)].join('\n') + '\n';
}


/**
 * The classes a labelmap.txt declares (`name:r,g,b:parts:actions`, `#` comments), in order, with
 * their colours; `background` left out.
 */
export function readLabelmap(file: string, bytes: Uint8Array, classes: ClassCollector, out: Diagnostic[]): void {
  let extras = 0;
  decodeText(bytes)
    .split(/\r\n|\r|\n/)
    .forEach((raw, n) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const [name = '', color = '', parts = '', actions = ''] = line.split(':');
      const label = name.trim();
      if (label === '' || label.toLowerCase() === 'background') return;
      const rgb = color.split(',').map((v) => Number(v.trim()));
      const valid = rgb.length === 3 && rgb.every((v) => Number.isInteger(v) && v >= 0 && v <= 255);
      if (color.trim() !== '' && !valid) out.push(diagnostic('warning', { file, line: n + 1 }, `the colour "${color}" of "${label}" is not r,g,b (0–255 each); the class gets a colour of its own`));
      if (parts.trim() !== '' || actions.trim() !== '') extras++;
      classes.declare({ name: label, ...(valid ? { color: `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}` } : {}) });
    });
  if (extras > 0) out.push(diagnostic('info', { file }, `${extras} label${extras === 1 ? ' lists' : 's list'} parts or actions: they are not read`));
}
