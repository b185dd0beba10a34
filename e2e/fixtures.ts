// Every spec imports `test` and `expect` from here (not from @playwright/test): an automatic
// fixture watches each test's browser contexts and fails the test, after it ran, on
//  - any uncaught error in a page (a page error is a bug, whatever the test checked), and
//  - any Content-Security-Policy violation reported in a page (`securitypolicyviolation`, collected
//    by an init script, and the browser's own "Content Security Policy" console messages), and
//  - any request to another origin than the app's (blob: and data: URLs are the page's own).
// The production build is served with its CSP as a header (vite.config.ts, `preview.headers`), so
// every test of the `chromium` project runs under it; `chromium-dev` (the dev server, whose client
// runs inline scripts) has no CSP and gets the other-origin check only (`productionCsp: false`).
import { test as base, type BrowserContext } from '@playwright/test';

export * from '@playwright/test';

export interface GuardOptions {
  /** The server sends the production CSP: a violation fails the test. */
  readonly productionCsp: boolean;
}

/** What the page reports, as `securitypolicyviolation` events carry it. */
interface ViolationReport {
  readonly directive: string;
  readonly blocked: string;
  readonly source: string;
  readonly sample: string;
}

const BINDING = '__tallyReportCspViolation';

/** Collects violations and foreign requests from the contexts it watches. */
export class Guard {
  private readonly origins: Set<string>;
  private readonly violations: string[] = [];
  private readonly foreign: string[] = [];
  private readonly pageErrors: string[] = [];
  private readonly watched = new WeakSet<BrowserContext>();

  constructor(
    appOrigin: string,
    readonly productionCsp: boolean,
  ) {
    this.origins = new Set([appOrigin]);
  }

  /** Another origin of the app's own (a server a test starts itself). */
  allowOrigin(url: string): void {
    this.origins.add(new URL(url).origin);
  }

  async watch(context: BrowserContext): Promise<void> {
    if (this.watched.has(context)) return;
    this.watched.add(context);
    context.on('weberror', (error) => this.pageErrors.push(error.error().stack ?? error.error().message));
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol === 'blob:' || url.protocol === 'data:') return;
      if (!this.origins.has(url.origin)) this.foreign.push(`${request.method()} ${request.url()}`);
    });
    if (!this.productionCsp) return;
    context.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy/i.test(message.text())) this.violations.push(`console: ${message.text()}`);
    });
    await context.exposeBinding(BINDING, (_source, report: ViolationReport) => {
      this.violations.push(`${report.directive} refused ${report.blocked || 'inline code'} (${report.source || 'page'}) ${report.sample}`.trim());
    });
    await context.addInitScript((binding) => {
      document.addEventListener(
        'securitypolicyviolation',
        (e) => {
          const report = (window as unknown as Record<string, (r: ViolationReport) => void>)[binding];
          report?.({ directive: e.effectiveDirective, blocked: e.blockedURI, source: `${e.sourceFile}:${e.lineNumber}`, sample: e.sample });
        },
        true,
      );
    }, BINDING);
  }

  /** Takes the violations reported so far (a test that provokes one on purpose takes it). */
  takeViolations(): string[] {
    return this.violations.splice(0);
  }

  /** Takes the uncaught page errors seen so far (a test that provokes one on purpose takes it). */
  takePageErrors(): string[] {
    return this.pageErrors.splice(0);
  }

  /** Takes the foreign requests seen so far. */
  takeForeignRequests(): string[] {
    return this.foreign.splice(0);
  }
}

/** The guard of the test running in this worker, for contexts made outside the fixtures (launchProfile). */
let current: Guard | null = null;

/** Puts a context the test made itself (a persistent profile) under the running test's guard. */
export async function guardContext(context: BrowserContext): Promise<void> {
  if (!current) throw new Error('guardContext: no test is running (import test from ./fixtures)');
  await current.watch(context);
}

export const test = base.extend<GuardOptions & { guard: Guard }>({
  productionCsp: [false, { option: true }],
  guard: [
    async ({ context, baseURL, productionCsp }, use) => {
      if (!baseURL) throw new Error('The guard needs a baseURL (playwright.config.ts)');
      const guard = new Guard(new URL(baseURL).origin, productionCsp);
      await guard.watch(context);
      current = guard;
      try {
        await use(guard);
      } finally {
        current = null;
      }
      const violations = guard.takeViolations();
      const foreign = guard.takeForeignRequests();
      const pageErrors = guard.takePageErrors();
      if (pageErrors.length > 0) throw new Error(`Uncaught errors in the page:\n  ${pageErrors.join('\n  ')}`);
      if (violations.length > 0) throw new Error(`Content-Security-Policy violations:\n  ${violations.join('\n  ')}`);
      if (foreign.length > 0) throw new Error(`Requests to another origin (Tally makes none):\n  ${foreign.join('\n  ')}`);
    },
    { auto: true },
  ],
});
