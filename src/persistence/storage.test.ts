import { describe, expect, it } from 'vitest';
import { describeWriteError } from './storage';

describe('storage messages', () => {
  it('names used and available space when the quota is exceeded', async () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const msg = await describeWriteError(quota, false, async () => ({ usedBytes: 1.9 * 1024 ** 3, quotaBytes: 2 * 1024 ** 3 }));
    expect(msg).toBe('Not saved: browser storage is full (1.9 GB used of 2 GB available). Delete images or projects you no longer need; Tally keeps retrying.');
  });

  it('still explains a full disk when the estimate is unavailable', async () => {
    const msg = await describeWriteError(new DOMException('x', 'QuotaExceededError'), false, async () => null);
    expect(msg).toMatch(/^Not saved: browser storage is full\. /);
  });

  it('passes other errors through with their message', async () => {
    expect(await describeWriteError(new DOMException('Disk I/O', 'UnknownError'))).toBe('Not saved: Disk I/O. Retrying…');
  });

  it('says why the browser refused data for good, without promising a retry', async () => {
    const clone = new DOMException('#<Object> could not be cloned.', 'DataCloneError');
    expect(await describeWriteError(clone, true)).toBe('the browser refused the data (DataCloneError: #<Object> could not be cloned.).');
  });
});
