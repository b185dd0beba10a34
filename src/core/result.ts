/**
 * Errors a user can cause are values, not exceptions: a command returns either its result or a
 * message written for the person who caused it.
 */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(message: string): Result<T> => ({ ok: false, message });
