import { describe, expect, it } from 'vitest';
import type { ImageId, Split } from '../core/model';
import type { Issue, RuleId, Severity } from '../quality';
import { openIssueSummary } from './openIssues';

let n = 0;
const issue = (rule: RuleId, severity: Severity, imageIds: string[], annotators: string[] = []): Issue => ({
  key: `k${++n}`,
  rule,
  severity,
  imageIds: imageIds as ImageId[],
  annotationIds: [],
  annotators,
  classIds: [],
  measured: {},
  threshold: null,
  message: '',
  fixes: [],
});

const splits: Record<string, Split> = { t1: 'train', t2: 'train', v1: 'val', x1: 'test' };
const splitOf = (id: ImageId): Split | undefined => splits[id];

describe('openIssueSummary (what Export says and manifest.json carries)', () => {
  const issues = [
    issue('out-of-image', 'error', ['t1'], ['bob']), // bob, train
    issue('out-of-image', 'warning', ['v1'], ['bob']), // bob, val
    issue('stacked-conflict', 'error', ['x1'], ['bob']), // bob, test only
    issue('duplicate-shape', 'warning', ['t2'], ['ana']), // ana's layer
    issue('label-mismatch', 'error', ['t1'], ['ana', 'bob']), // between ana and bob
    issue('leaky-split', 'error', ['t2', 'x1']), // no annotator, spans train and test
    issue('class-name-clash', 'error', []), // project-wide
    issue('unlabeled-image', 'info', ['gone']), // its image was deleted since
    issue('too-dark', 'info', ['v1']),
  ];
  const keys = issues.map((i) => i.key);

  it('counts the open issues of a layer and splits: those naming the annotator or none, with an image in a split or none', () => {
    const s = openIssueSummary(issues, () => false, splitOf, { layer: 'bob', splits: ['train', 'val'] }, 1234);
    expect(s).toEqual({
      checkedAt: 1234,
      layer: 'bob',
      splits: ['train', 'val'],
      open: { error: 4, warning: 1, info: 1 },
      dismissed: 0,
      byRule: { 'out-of-image': 2, 'label-mismatch': 1, 'leaky-split': 1, 'class-name-clash': 1, 'too-dark': 1 },
      errorsByRule: { 'out-of-image': 1, 'label-mismatch': 1, 'leaky-split': 1, 'class-name-clash': 1 },
    });
  });

  it('every layer (null) counts every annotator; a split choice without test leaves the test-only issue out', () => {
    const s = openIssueSummary(issues, () => false, splitOf, { layer: null, splits: ['train'] }, 0);
    expect(s.open).toEqual({ error: 4, warning: 1, info: 0 });
    expect(s.byRule).toEqual({ 'out-of-image': 1, 'duplicate-shape': 1, 'label-mismatch': 1, 'leaky-split': 1, 'class-name-clash': 1 });
  });

  it('dismissed issues are counted apart, not as open', () => {
    const dismissedKeys = new Set([keys[0]!, keys[6]!]);
    const s = openIssueSummary(issues, (k) => dismissedKeys.has(k), splitOf, { layer: 'bob', splits: ['train', 'val'] }, 0);
    expect(s.open).toEqual({ error: 2, warning: 1, info: 1 });
    expect(s.dismissed).toBe(2);
    expect(s.errorsByRule).toEqual({ 'label-mismatch': 1, 'leaky-split': 1 });
  });
});
