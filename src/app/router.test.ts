import { describe, expect, it } from 'vitest';
import { parseRoute } from './router';

describe('parseRoute', () => {
  it('reads home and project routes', () => {
    expect(parseRoute('')).toEqual({ page: 'home' });
    expect(parseRoute('#/')).toEqual({ page: 'home' });
    expect(parseRoute('#/projects/abc-1')).toEqual({ page: 'project', projectId: 'abc-1' });
    expect(parseRoute('#/projects/a%20b')).toEqual({ page: 'project', projectId: 'a b' });
  });
});
