/** What a picked or archived file is, by its name: image, zip, or system clutter nobody means to import. */
import { baseName, extensionOf } from '../formats/shared/text';

/** Extensions tried as images (TIFF and HEIC are recognised so they can be refused by name). */
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.gif', '.webp', '.bmp', '.avif', '.tif', '.tiff', '.heic', '.heif']);

export const hasImageExtension = (path: string): boolean => IMAGE_EXTENSIONS.has(extensionOf(path));
export const hasNoExtension = (path: string): boolean => extensionOf(path) === '';
export const isZip = (path: string): boolean => extensionOf(path) === '.zip';

/** macOS resource forks and folder metadata, Windows thumbnails and folder settings. */
export function isClutter(path: string): boolean {
  const base = baseName(path);
  return path.split('/').includes('__MACOSX') || base.startsWith('._') || base === '.DS_Store' || base === 'Thumbs.db' || base === 'desktop.ini';
}
