/** Tally's version, as written into every export's manifest (kept equal to package.json's by a test). */
export const TALLY_VERSION = '0.1.0';
