/**
 * The time limit of the heavy tests (property tests, brute-force comparisons, fuzzing, bulk
 * round trips), each given with its explicit size (numRuns, item and query counts). Vitest's
 * 5 s default fails them on a 2-core machine at a load of 8 (a second `npm test` beside this
 * one): the slowest took 3.1 s there at a load of 6–8 while taking well under 1 s alone.
 * 60 s is ~20× that: a heavy test that needs longer is stuck, not slow.
 */
export const HEAVY_TEST_MS = 60_000;
