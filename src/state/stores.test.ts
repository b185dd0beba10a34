import { describe, expect, it } from 'vitest';
import { createDocument } from '../core/document';
import type { ProjectId } from '../core/model';
import { makeProject } from '../test-support/fixtures';
import { createStores, MAX_NOTICES, onProjectOpened, pushNotice } from './stores';

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

describe('onProjectOpened', () => {
  it('calls back once per project opened: not on a close, not on a change within the same project', () => {
    const stores = createStores();
    const opened: string[] = [];
    const stop = onProjectOpened(stores, (id) => opened.push(id));
    const a = makeProject({ id: 'p-a' as ProjectId });
    const b = makeProject({ id: 'p-b' as ProjectId });
    stores.document.setState({ doc: createDocument(a, []) });
    stores.document.setState({ doc: createDocument({ ...a, name: 'renamed' }, []) });
    stores.document.setState({ doc: null });
    stores.document.setState({ doc: createDocument(b, []) });
    stores.document.setState({ doc: createDocument(a, []) });
    stop();
    stores.document.setState({ doc: createDocument(b, []) });
    expect(opened).toEqual(['p-a', 'p-b', 'p-a']);
  });
});
