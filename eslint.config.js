import js from '@eslint/js';
import globals from 'globals';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * The ring map (docs/ARCHITECTURE.md, "Three rings"). Every file under src/ belongs to exactly one
 * of these folders (a file in none is refused: a new folder must be placed on the map first).
 */
const PURE = ['core', 'formats', 'quality', 'tools'];
const SHELL = ['state', 'persistence', 'media', 'exchange', 'workers'];
const VIEW = ['canvas', 'ui', 'app'];
const FOLDERS = [...PURE, ...SHELL, ...VIEW, 'test-support'];

/** Libraries that are plain computation and run anywhere (Node, a worker, the page). */
const PURE_LIBRARIES = ['fflate', 'saxes', 'yaml', 'papaparse', '@noble/hashes', 'polygon-clipping', 'munkres', 'pluralize'];
/** What tests may use beyond their ring: the runner, property testing, Node's own modules, test helpers. */
const TEST_LIBRARIES = ['vitest', 'fast-check'];

const folder = (type) => ({ element: { type } });
const folders = (types) => ({ element: { types: { anyOf: types } } });
const library = (source) => ({ module: { origin: 'external', source } });

/**
 * One rule, one list, read top to bottom: for each import the LAST policy that matches decides,
 * so each ring's list starts by refusing broadly and then names what it may use. Nothing else in
 * this file configures imports, so no block can silently override another.
 */
const RING_POLICIES = [
  // Ring 1, the pure core: nothing but itself and pure libraries.
  {
    from: folders(PURE),
    disallow: { to: [folders([...SHELL, ...VIEW, 'test-support']), { module: { origin: ['external', 'core'] } }] },
    message: 'The pure core (core, formats, quality, tools) imports only itself and pure libraries (' + PURE_LIBRARIES.join(', ') + '): no browser library, Node module, shell or view folder.',
  },
  { from: folders(PURE), allow: { to: [folders(PURE), library(PURE_LIBRARIES)] } },
  // Each browser dependency enters through one folder.
  {
    from: { element: { types: { noneOf: ['persistence'] } } },
    disallow: { to: library('idb') },
    message: 'Only src/persistence imports idb.',
  },
  {
    from: { element: { types: { noneOf: ['canvas'] } } },
    disallow: { to: library(['konva', 'react-konva']) },
    message: 'Only src/canvas imports Konva (konva, react-konva).',
  },
  // Persistence and canvas serve the view; they never reach back into it.
  {
    from: folders(['persistence', 'canvas']),
    disallow: { to: folders(['ui', 'app']) },
    message: 'src/persistence and src/canvas import no UI (src/ui, src/app).',
  },
  // The one tolerated exception, types only (erased at build): the canvas is handed the app's ToolRunner.
  { from: folder('canvas'), allow: { to: folder('app'), dependency: { kind: 'type' } } },
  // Test helpers and test libraries stay out of the app (the next two policies let tests back in).
  {
    disallow: { to: [folder('test-support'), library(TEST_LIBRARIES)] },
    message: 'Only tests (*.test.ts) and src/test-support use test helpers, vitest or fast-check.',
  },
  // Tests are looser: any ring's tests may use the test libraries, Node's modules and the test helpers.
  {
    from: [{ file: { categories: 'test' } }, folder('test-support')],
    allow: { to: [folder('test-support'), library(TEST_LIBRARIES), { module: { origin: 'core' } }] },
  },
];

export default tseslint.config(
  { ignores: ['dist', 'dist-bench', 'node_modules', 'test-results', 'playwright-report', '.scratch', 'bench/out'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.browser }, ecmaVersion: 2023 },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Rest siblings: `const { dropped, ...kept } = record` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Tally does not build with the React Compiler, so "the compiler would skip this" is noise.
      'react-hooks/incompatible-library': 'off',
    },
  },
  // The ring fence (eslint-plugin-boundaries): src/fence.test.ts plants each forbidden import and
  // sees it refused.
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/root-path': import.meta.dirname,
      'boundaries/elements': FOLDERS.map((type) => ({ type, pattern: `src/${type}`, partialMatch: false })),
      'boundaries/files': [{ category: 'test', pattern: '**/*.test.{ts,tsx}' }],
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'allow', checkAllOrigins: true, policies: RING_POLICIES }],
      'boundaries/no-unknown-files': 'error',
    },
  },
  // Every browser test runs under the CSP and other-origin guard (e2e/fixtures.ts).
  {
    files: ['e2e/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@playwright/test', message: 'Import test and expect from ./fixtures: its guard fails a test on a CSP violation or a request to another origin.' }] },
      ],
    },
  },
  {
    files: ['e2e/**', 'bench/**', 'scripts/**', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { 'no-console': 'off' },
  },
);
