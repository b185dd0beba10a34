import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/prng';
import { GOLDEN_OPTIONS, goldenDataset, randomDataset } from '../test-support/datasets';
import { mutate, type Mutation } from '../test-support/formatChecks';
import { cvat } from './cvat';
import { labelmeXml } from './labelmeXml';
import { prepareExport } from './shared/prepare';
import { decodeText } from './shared/text';
import type { Format } from './types';
import { voc } from './voc';
import { fastXml } from './xmlFast';
import { readXmlWithSaxes, type XmlElement } from './xmlTree';

/** A tree as plain data (Maps as entries), to compare with toEqual. */
const plain = (el: XmlElement): unknown => ({ name: el.name, attrs: [...el.attrs], text: el.text, line: el.line, children: el.children.map(plain) });

/** The fast reader either gives up or gives exactly what saxes gives. */
function agrees(text: string): 'fast' | 'slow' {
  const fast = fastXml(text);
  if (fast === null) return 'slow';
  const slow = readXmlWithSaxes(text);
  expect(slow.ok, text.slice(0, 200)).toBe(true);
  if (slow.ok) {
    expect(plain(fast)).toEqual(plain(slow.root));
    expect(slow.unexpandedEntities).toEqual([]);
  }
  return 'fast';
}

const exportsOf = (format: Format, seed: number): string[] => {
  const d = seed === 0 ? goldenDataset() : randomDataset(mulberry32(seed));
  return [...format.serialize(prepareExport(d, format.shapes).dataset, GOLDEN_OPTIONS).files].filter(([p]) => p.endsWith('.xml')).map(([, b]) => decodeText(b));
};

describe('fastXml', () => {
  it("reads every XML file Tally writes (VOC, CVAT, LabelMe 3.0), exactly as saxes does", () => {
    for (const format of [voc, cvat, labelmeXml]) {
      for (let seed = 0; seed <= 25; seed++) for (const xml of exportsOf(format, seed)) expect(agrees(xml), `${format.id} ${seed}`).toBe('fast');
    }
  });

  it('reads the plain subset other tools write: declarations, comments, CDATA, entities, character references, single quotes, self-closing tags', () => {
    const docs = [
      "<?xml version='1.0' encoding='utf-8' standalone=\"yes\"?>\n<!-- made by X -->\n<annotation>\n  <name>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233;&#x263A;</name>\n  <t a='1' b = \"x &amp; y\" />\n  <c><![CDATA[ <raw> & stuff ]]></c>\n  <m>one<!-- between -->two</m>\n</annotation>\n<!-- after -->\n",
      '<a>\n<b\n  x="1"\n  y="2"\n>text</b></a>',
      '<root xmlns:ns="u"><ns:item ns:attr="v">日本語 Straße</ns:item></root>',
      '<a>  &#32;padded&#32;  </a>',
      '<a><b/><b></b><b> </b></a>',
    ];
    for (const d of docs) expect(agrees(d), d).toBe('fast');
  });

  it('gives up on what it does not handle, so that saxes decides (and says why)', () => {
    const docs = [
      '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
      '<a>\r\n</a>',
      '<a>&nbsp;</a>',
      '<a>&#0;</a>',
      '<a b="1" b="2"/>',
      '<a><b></a></b>',
      '<a></a><b></b>',
      'text<a/>',
      '<a>]]></a>',
      '<a><!-- x -- y --></a>',
      '<?pi data?><a/>',
      '<a b="<"/>',
      '<a b="1"c="2"/>',
      '<a>\u0001</a>',
      '<a>🙂</a>',
      '<ä/>',
      ' <?xml version="1.0"?><a/>',
      '<?xml version="1.1"?><a/>',
      '',
      '<a>',
    ];
    for (const d of docs) expect(fastXml(d), d).toBeNull();
  });

  it('never disagrees with saxes on random documents of the subset and around it', () => {
    const name = fc.constantFrom('a', 'b', 'object', 'ns:x', 'x-y', 'ä', '_z');
    const text = fc.constantFrom('', ' ', 'x', ' y z ', '&amp;', '&lt;&gt;', '&#65;', '&#x1F600;', '&bad;', '<', '>', ']]>', '\n', '\r\n', '\t', '日本', '\u0007', '🙂', ' & ');
    const attr = fc.tuple(name, fc.constantFrom('"1"', "'2'", '"a &amp; b"', '"x\ny"', '"<"', '"&quot;"', "'\"'"));
    const node: fc.Memo<string> = fc.memo((depth) =>
      depth <= 0
        ? text
        : fc.oneof(
            text,
            fc.constantFrom('<!-- c -->', '<!-- -- -->', '<![CDATA[ c ]]>', '<?pi x?>'),
            fc.tuple(name, fc.array(attr, { maxLength: 3 }), fc.array(node(depth - 1), { maxLength: 4 }), fc.boolean(), fc.constantFrom(' ', '', '\n')).map(
              ([n, attrs, kids, selfClosing, sp]) => `<${n}${attrs.map(([k, v]) => ` ${k}=${v}`).join('')}${sp}${selfClosing && kids.length === 0 ? '/>' : `>${kids.join('')}</${n}>`}`,
            ),
          ),
    );
    let fast = 0;
    fc.assert(
      fc.property(fc.constantFrom('', '<?xml version="1.0"?>\n', '<!-- top -->'), node(3), (prolog, body) => {
        if (agrees(prolog + body) === 'fast') fast++;
      }),
      { numRuns: 3000 },
    );
    expect(fast).toBeGreaterThan(100); // the fast path was exercised, not skipped
  }, 60_000);

  it('never disagrees with saxes on mutations of valid exports', () => {
    const valid = [...exportsOf(voc, 0), ...exportsOf(cvat, 0), ...exportsOf(labelmeXml, 0)];
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.constantFrom<Mutation>('truncate', 'flip', 'delete', 'duplicate'), fc.nat(), fc.nat(255), (k, how, at, value) => {
        agrees(decodeText(mutate(valid[k]!, how, at, value)));
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});
