import { describe, expect, it } from 'vitest';
import { remembered } from './remembered';

describe('remembered', () => {
  it('answers as the function does, calling it once per argument', () => {
    const calls: string[] = [];
    const lower = remembered((s) => (calls.push(s), s.toLowerCase()));
    expect(['Car', 'car', 'Car', 'CAR', 'car'].map(lower)).toEqual(['car', 'car', 'car', 'car', 'car']);
    expect(calls).toEqual(['Car', 'car', 'CAR']);
  });
});
