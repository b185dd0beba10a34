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
