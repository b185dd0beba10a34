// The ring fence (eslint.config.js, docs/ARCHITECTURE.md "Three rings"), tested as lint runs it:
// each forbidden import is planted in a temporary file inside the ring it is forbidden in, the
// project's ESLint config lints the files, and every planted import must be refused (and every
// allowed one must pass, so the fence cannot hold by refusing everything). The files are removed
// in `finally`, and a folder the test had to create (a ring with no files yet) with them.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const PURE = ['core', 'formats', 'quality', 'tools'] as const;
const SHELL = ['state', 'persistence', 'media', 'exchange', 'workers'] as const;
const VIEW = ['canvas', 'ui', 'app'] as const;
const ALL = [...PURE, ...SHELL, ...VIEW] as const;
type Ring = (typeof ALL)[number];

/** A real module in each folder, as a planted file one level down in src/<ring>/ imports it. */
const MODULE_IN: Record<Exclude<Ring, 'quality'> | 'test-support', string> = {
  core: '../core/model',
  formats: '../formats/types',
  tools: '../tools',
  state: '../state/stores',
  persistence: '../persistence/db',
  media: '../media/sha256',
  exchange: '../exchange/download',
  workers: '../workers/rpc',
  canvas: '../canvas/paint',
  ui: '../ui/SaveStatus',
  app: '../app/router',
  'test-support': '../test-support/fixtures',
};

const BROWSER_LIBRARIES = ['react', 'react-dom', 'react-dom/client', 'konva', 'react-konva', 'idb', 'zustand', 'zustand/vanilla', '@tanstack/react-virtual', 'workbox-window'];

interface Case {
  /** Where the file is planted. */
  readonly ring: Ring | 'unmapped';
  /** Line 1 of the planted file: the import under test. */
  readonly source: string;
  /** A test file (*.test.tsx: lint's test pattern, outside Vitest's include) or a source file. */
  readonly test?: boolean;
  /** The message lint must give, or null when the import is allowed. */
  readonly refused: RegExp | null;
}

const PURE_MESSAGE = /The pure core \(core, formats, quality, tools\) imports only itself/;
const IDB_MESSAGE = /Only src\/persistence imports idb/;
const KONVA_MESSAGE = /Only src\/canvas imports Konva/;
const NO_UI_MESSAGE = /src\/persistence and src\/canvas import no UI/;
const TEST_ONLY_MESSAGE = /Only tests .* use test helpers, vitest or fast-check/;

const imports = (spec: string) => `import * as planted from '${spec}';\nexport const keep = planted;\n`;

const forbidden: Case[] = [
  // Pure core: no browser library, no Node module, no shell or view folder; tests no looser there.
  ...PURE.flatMap((ring) => [
    ...BROWSER_LIBRARIES.map((lib) => ({ ring, source: imports(lib), refused: lib === 'idb' ? IDB_MESSAGE : /konva/.test(lib) ? KONVA_MESSAGE : PURE_MESSAGE })),
    { ring, source: `import type { ReactNode } from 'react';\nexport type Keep = ReactNode;\n`, refused: PURE_MESSAGE },
    { ring, source: `export * from 'zustand';\n`, refused: PURE_MESSAGE },
    { ring, source: `export const later = () => import('react-dom');\n`, refused: PURE_MESSAGE },
    { ring, source: imports('node:fs'), refused: PURE_MESSAGE },
    ...[...SHELL, ...VIEW].map((other) => ({ ring, source: imports(MODULE_IN[other]), refused: PURE_MESSAGE })),
    { ring, source: imports('react'), test: true, refused: PURE_MESSAGE },
    { ring, source: imports(MODULE_IN.persistence), test: true, refused: PURE_MESSAGE },
  ]),
  // idb enters through persistence only; Konva through canvas only (values, types, re-exports, dynamic).
  ...ALL.filter((r) => r !== 'persistence').flatMap((ring): Case[] => [
    { ring, source: imports('idb'), refused: IDB_MESSAGE },
    { ring, source: `import type { IDBPDatabase } from 'idb';\nexport type Keep = IDBPDatabase;\n`, refused: IDB_MESSAGE },
    { ring, source: imports('idb'), test: true, refused: IDB_MESSAGE },
  ]),
  ...ALL.filter((r) => r !== 'canvas').flatMap((ring): Case[] => [
    { ring, source: imports('konva'), refused: KONVA_MESSAGE },
    { ring, source: imports('react-konva'), refused: KONVA_MESSAGE },
    { ring, source: `export { Stage } from 'react-konva';\n`, refused: KONVA_MESSAGE },
    { ring, source: `export const later = () => import('konva');\n`, refused: KONVA_MESSAGE },
  ]),
  // Persistence and canvas import no UI (the canvas may import the app's types, nothing else).
  ...(['persistence', 'canvas'] as const).flatMap((ring): Case[] => [
    { ring, source: imports(MODULE_IN.ui), refused: NO_UI_MESSAGE },
    { ring, source: imports(MODULE_IN.app), refused: NO_UI_MESSAGE },
  ]),
  { ring: 'persistence', source: `import type { Route } from '../app/router';\nexport type Keep = Route;\n`, refused: NO_UI_MESSAGE },
  // Test helpers and test libraries stay out of the app's code.
  ...ALL.flatMap((ring): Case[] => [
    { ring, source: imports('vitest'), refused: TEST_ONLY_MESSAGE },
    { ring, source: imports('fast-check'), refused: TEST_ONLY_MESSAGE },
    { ring, source: imports(MODULE_IN['test-support']), refused: TEST_ONLY_MESSAGE },
  ]),
  // A folder that is not on the ring map is refused until it is placed there.
  { ring: 'unmapped', source: `export const x = 1;\n`, refused: /does not belong to any known element/ },
];

const allowed: Case[] = [
  { ring: 'persistence', source: imports('idb'), refused: null },
  { ring: 'canvas', source: imports('konva'), refused: null },
  { ring: 'canvas', source: imports('react-konva'), refused: null },
  { ring: 'canvas', source: `import type { ToolRunner } from '../app/toolRunner';\nexport type Keep = ToolRunner;\n`, refused: null },
  ...PURE.flatMap((ring): Case[] => [
    { ring, source: imports(MODULE_IN.core), refused: null },
    { ring, source: imports('fflate'), refused: null },
    { ring, source: imports('vitest'), test: true, refused: null },
    { ring, source: imports('node:fs'), test: true, refused: null },
    { ring, source: imports(MODULE_IN['test-support']), test: true, refused: null },
  ]),
  { ring: 'ui', source: imports('react'), refused: null },
  { ring: 'app', source: imports(MODULE_IN.persistence), refused: null },
  { ring: 'state', source: imports('zustand/vanilla'), refused: null },
];

interface Planted extends Case {
  readonly path: string;
}

/** Writes every case to its own file, lints them all in one ESLint run, and removes them. */
async function lintPlanted(cases: readonly Case[]): Promise<Map<Planted, string[]>> {
  const tag = `__fence_${process.pid}_${Date.now()}`;
  const createdDirs: string[] = [];
  const planted: Planted[] = [];
  try {
    cases.forEach((c, i) => {
      const dir = join(ROOT, 'src', c.ring === 'unmapped' ? `${tag}_dir` : c.ring);
      if (!existsSync(dir)) {
        mkdirSync(dir);
        createdDirs.push(dir);
      }
      const path = join(dir, `${tag}_${i}.${c.test ? 'test.tsx' : 'ts'}`);
      writeFileSync(path, c.source);
      planted.push({ ...c, path });
    });
    const eslint = new ESLint({ cwd: ROOT });
    const results = await eslint.lintFiles(planted.map((p) => p.path));
    const byPath = new Map(results.map((r) => [r.filePath, r]));
    return new Map(
      planted.map((p) => {
        const result = byPath.get(p.path);
        if (!result) throw new Error(`ESLint did not lint ${p.path}`);
        const fatal = result.messages.filter((m) => m.fatal);
        if (fatal.length > 0) throw new Error(`${p.path} did not parse: ${fatal.map((m) => m.message).join('; ')}`);
        return [p, result.messages.filter((m) => m.ruleId?.startsWith('boundaries/')).map((m) => m.message)];
      }),
    );
  } finally {
    for (const p of planted) rmSync(p.path, { force: true });
    for (const dir of createdDirs) rmSync(dir, { recursive: true, force: true });
  }
}

const describeCase = (c: Planted) => `src/${c.ring}/…${c.test ? '.test.tsx' : '.ts'}: ${c.source.split('\n')[0]}`;

describe('the ring fence', () => {
  // One ESLint run over ~250 small files: the TypeScript parser's start-up dominates (a few
  // seconds alone; far longer on a loaded 2-core machine).
  test('refuses every forbidden import and allows the permitted ones', { timeout: 180_000 }, async () => {
    const outcome = await lintPlanted([...forbidden, ...allowed]);
    const wrong: string[] = [];
    for (const [c, messages] of outcome) {
      if (c.refused === null) {
        if (messages.length > 0) wrong.push(`allowed but refused: ${describeCase(c)} → ${messages.join(' / ')}`);
      } else if (!messages.some((m) => c.refused!.test(m))) {
        wrong.push(`not refused as expected (${c.refused}): ${describeCase(c)} → ${messages.join(' / ') || 'no boundaries message'}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(outcome.size).toBe(forbidden.length + allowed.length);
  });
});
