import { describe, expect, it } from 'vitest';
import { checkNow } from '../check';
import { DEFAULT_QUALITY_SETTINGS } from '../settings';
import { box, classId, image, project, shape, snapshot } from '../testFixtures';
import { canonicalClassKey, damerauLevenshtein } from './classNames';

describe('canonicalClassKey', () => {
  it('folds case, compatibility forms, separators and the plural of the last word', () => {
    expect(canonicalClassKey('  Car ')).toBe('car');
    expect(canonicalClassKey('cars')).toBe('car');
    expect(canonicalClassKey('Traffic_Lights')).toBe('traffic light');
    expect(canonicalClassKey('traffic--light..')).toBe('traffic light');
    expect(canonicalClassKey('ｃａｒ')).toBe('car'); // full-width letters (NFKC)
    expect(canonicalClassKey('People')).toBe('person');
    expect(canonicalClassKey('buses')).toBe('bus');
    expect(canonicalClassKey('glass')).toBe('glass');
    expect(canonicalClassKey('class 2')).toBe('class 2');
  });
});

describe('damerauLevenshtein (optimal string alignment)', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(damerauLevenshtein('bicycle', 'bicycle')).toBe(0);
    expect(damerauLevenshtein('bicycle', 'bicylce')).toBe(1); // swap
    expect(damerauLevenshtein('truck', 'trucks')).toBe(1);
    expect(damerauLevenshtein('truck', 'trick')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('ca', 'abc')).toBe(3); // OSA, not unrestricted DL (which says 2)
    expect(damerauLevenshtein('', 'abc')).toBe(3);
    expect(damerauLevenshtein('straße', 'strasse')).toBe(2); // code points
  });

  it('gives up early past the limit', () => {
    expect(damerauLevenshtein('pedestrian', 'motorcycle', 2)).toBe(3);
    expect(damerauLevenshtein('a', 'abcdef', 1)).toBe(2);
  });
});

describe('class name rules', () => {
  function run(names: readonly string[], used: readonly string[]) {
    const img = image(1);
    const shapes = used.map((name, i) => shape(img, box(i * 5, 0, 4, 4), { classId: classId(name) }));
    return checkNow(snapshot(project(names), [img], shapes), DEFAULT_QUALITY_SETTINGS).report.issues;
  }

  it('one error per group of variants, merging into the most used class', () => {
    const issues = run(['Car', 'car', 'cars', 'person'], ['cars', 'cars', 'car', 'person']);
    const clash = issues.filter((i) => i.rule === 'class-name-clash');
    expect(clash).toHaveLength(1);
    expect(clash[0]).toMatchObject({ severity: 'error', measured: { classes: 3 } });
    expect(clash[0]!.fixes).toEqual([{ kind: 'merge-classes', into: classId('cars'), from: [classId('Car'), classId('car')] }]);
    // Variants already reported are not also typos of each other.
    expect(issues.filter((i) => i.rule === 'class-name-typo')).toEqual([]);
  });

  it('ties go to the class first in the project', () => {
    const [clash] = run(['Person', 'people'], ['Person', 'people']).filter((i) => i.rule === 'class-name-clash');
    expect(clash!.fixes).toEqual([{ kind: 'merge-classes', into: classId('Person'), from: [classId('people')] }]);
  });

  it('typos: distance 1 from 4 letters, 2 from 8 letters; short names are left alone', () => {
    const typos = (a: string, b: string) => run([a, b], [a, b]).filter((i) => i.rule === 'class-name-typo');
    expect(typos('bicycle', 'bicylce')).toHaveLength(1);
    expect(typos('bicycle', 'bicylce')[0]).toMatchObject({ severity: 'warning', measured: { distance: 1 }, threshold: 1 });
    expect(typos('truck', 'trick')).toHaveLength(1);
    expect(typos('cat', 'car')).toEqual([]); // 3 letters
    expect(typos('pedestrian', 'pedestrain')).toHaveLength(1); // swap, 10 letters
    expect(typos('motorbike', 'motorbus')).toEqual([]); // 3 edits
    expect(typos('pedestrian', 'pedestrans')).toHaveLength(1); // 2 edits, 10 letters
    expect(typos('truck', 'trucker')).toEqual([]); // 2 edits, 5 letters
  });

  it('defined but unused classes (warning)', () => {
    const unused = run(['car', 'person', 'bicycle'], ['car', 'person']).filter((i) => i.rule === 'unused-class');
    expect(unused.map((i) => i.classIds)).toEqual([[classId('bicycle')]]);
    expect(unused[0]!.severity).toBe('warning');
  });
});
