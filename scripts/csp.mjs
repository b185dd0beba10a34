// Tally's Content-Security-Policy for the production build. Plain ESM (with JSDoc) so that
// vite.config.ts, the e2e fixtures and any static host's config read one definition.
//
// Tally loads only its own files and talks to no server: scripts, styles, workers and the
// manifest come from its own origin; images are also shown from blob: URLs (thumbnails made in
// the browser) and data: URLs (the small SVG icons in styles.css; an image cannot run script).
// No inline script, no eval, no plug-ins, no <base>, no form posts, no framing.

/** @type {ReadonlyArray<readonly [string, string]>} */
const DIRECTIVES = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' blob: data:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['worker-src', "'self'"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** Directives a <meta> tag cannot carry (the browser ignores them there, with a console warning). */
const HEADER_ONLY = new Set(['frame-ancestors']);

/** @param {(name: string) => boolean} keep */
const policy = (keep) =>
  DIRECTIVES.filter(([name]) => keep(name))
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');

/** The policy as an HTTP header (`vite preview`, the e2e server, any host that can send headers). */
export const CSP_HEADER = policy(() => true);

/** The same policy for the built index.html's <meta http-equiv>, for hosts that cannot send headers. */
export const CSP_META = policy((name) => !HEADER_ONLY.has(name));
