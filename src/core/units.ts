/** Units for messages shown to users. */

/** Sizes for messages: binary multiples labelled KB/MB/GB/TB/PB (as users read them), one decimal unless exact; below 1 KiB, "1 byte" or "N bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit] ?? 'PB'}`;
}

/** How long ago `at` was, as people say it: `just now`, `5 min ago`, `3 h ago`, `yesterday`, `4 days ago`, then the date. Milliseconds since the epoch. */
export function formatAgo(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return 'just now';
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ago`;
  const days = Math.floor(h / 24);
  if (days === 1) return 'yesterday';
  if (days < 14) return `${days} days ago`;
  return new Date(at).toISOString().slice(0, 10);
}
