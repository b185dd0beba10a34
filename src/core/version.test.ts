import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TALLY_VERSION } from './version';

describe('TALLY_VERSION', () => {
  it("equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(TALLY_VERSION).toBe(pkg.version);
    expect(TALLY_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
