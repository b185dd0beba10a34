import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** What the pure core may not import (ARCHITECTURE.md, "Three rings"). */
const PURE_CORE_BANS = {
  paths: [
    { name: 'react', message: 'The pure core has no React: move this to src/ui or src/app.' },
    { name: 'react-dom', message: 'The pure core has no React.' },
    { name: 'konva', message: 'Only src/canvas imports Konva.' },
    { name: 'react-konva', message: 'Only src/canvas imports Konva.' },
    { name: 'idb', message: 'Only src/persistence imports idb.' },
    { name: 'zustand', message: 'Stores live in src/state.' },
  ],
  patterns: [
    { group: ['zustand/*', 'konva/*', 'react-dom/*'], message: 'Not in the pure core.' },
    {
      group: ['**/state/**', '**/persistence/**', '**/media/**', '**/exchange/**', '**/workers/**', '**/canvas/**', '**/ui/**', '**/app/**'],
      message: 'The pure core (core, formats, quality, tools) imports only itself.',
    },
  ],
};

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
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
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
  // Each browser dependency enters through one folder.
  {
    files: ['src/**'],
    ignores: ['src/persistence/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'idb', message: 'Only src/persistence imports idb.' }] }],
    },
  },
  {
    files: ['src/**'],
    ignores: ['src/canvas/**', 'src/core/**', 'src/formats/**', 'src/quality/**', 'src/tools/**', 'src/persistence/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'konva', message: 'Only src/canvas imports Konva.' },
            { name: 'react-konva', message: 'Only src/canvas imports Konva.' },
          ],
          patterns: [{ group: ['konva/*'], message: 'Only src/canvas imports Konva.' }],
        },
      ],
    },
  },
  // Ring 1: the pure core. Last among the src rules: in flat config the last matching
  // no-restricted-imports wins, and this one must hold for core files.
  {
    files: ['src/core/**', 'src/formats/**', 'src/quality/**', 'src/tools/**'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', PURE_CORE_BANS] },
  },
  {
    files: ['e2e/**', 'bench/**', 'scripts/**', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { 'no-console': 'off' },
  },
);
