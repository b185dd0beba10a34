import { describe, expect, it } from 'vitest';
import { createStores, MAX_NOTICES, pushNotice } from './stores';

describe('notices', () => {
  it('keeps at most three, dropping information before errors, and never the same text twice', () => {
    const stores = createStores();
    pushNotice(stores, 'error', 'disk full');
    pushNotice(stores, 'info', 'copied');
    pushNotice(stores, 'info', 'pasted');
    pushNotice(stores, 'error', 'bad file');
    const texts = () => stores.notices.getState().notices.map((n) => n.text);
    expect(texts()).toEqual(['disk full', 'pasted', 'bad file']);
    expect(texts()).toHaveLength(MAX_NOTICES);
    pushNotice(stores, 'error', 'worse file');
    expect(texts()).toEqual(['disk full', 'bad file', 'worse file']);
    pushNotice(stores, 'error', 'disk full');
    expect(texts()).toEqual(['bad file', 'worse file', 'disk full']);
  });
});
