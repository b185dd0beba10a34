/**
 * Classes collected from label names as a parser meets them (LabelMe, CSV): first-seen order,
 * one class per name ignoring case and Unicode compatibility forms (core/validate.ts
 * classNameKey), the first spelling kept.
 */
import { classNameKey } from '../core/validate';
import type { DatasetClass } from './types';

export class ClassTable {
  readonly classes: DatasetClass[] = [];
  private readonly byKey = new Map<string, string>();

  /** The dataset's spelling for `name`; `renamed` when an earlier, differently spelled name got the class. */
  resolve(name: string): { readonly name: string; readonly renamed: boolean } {
    const key = classNameKey(name);
    const known = this.byKey.get(key);
    if (known !== undefined) return { name: known, renamed: known !== name };
    this.byKey.set(key, name);
    this.classes.push({ name });
    return { name, renamed: false };
  }
}
