import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { CSP_HEADER, CSP_META } from './scripts/csp.mjs';

/**
 * The built index.html carries the policy in a <meta> tag, first in <head>, for static hosts that
 * cannot send headers (the dev server's page is left alone: Vite's dev client runs inline code).
 */
function cspMetaTag(): Plugin {
  return {
    name: 'tally-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP_META }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  plugins: [
    react(),
    cspMetaTag(),
    // The service worker (Workbox's generateSW) precaches the whole build — page, bundles, the
    // import and exchange workers, styles, icons, manifest — so that after one visit Tally opens
    // with no network and no server. A new build waits until the user agrees to reload
    // (src/ui/UpdatePrompt.tsx). No worker in `vite` (dev): devOptions stay off.
    VitePWA({
      registerType: 'prompt',
      injectRegister: false, // registered by UpdatePrompt through virtual:pwa-register/react: no extra script tag
      manifest: {
        id: '/',
        name: 'Tally',
        short_name: 'Tally',
        description: 'Label images with boxes and polygons in your browser. Nothing leaves your machine.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#14161b',
        background_color: '#14161b',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'], // source maps stay out
        // The main bundle is ~750 KB and the exchange worker ~300 KB; Workbox's 2 MiB default
        // would silently drop a bundle that grows past it, and the app would then fail offline.
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
      devOptions: { enabled: false },
    }),
  ],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // React, Konva and the app make one ~650 KB (200 KB gzipped) bundle, loaded from the local
    // cache after the first visit; splitting it would only add requests before the canvas shows.
    chunkSizeWarningLimit: 900,
    // Workbox bundles the service worker after the app (a few seconds); Rolldown would warn
    // about that plugin time at every build.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  // `vite preview` (npm run preview, the browser tests) sends the production policy as a header,
  // with frame-ancestors, which a <meta> tag cannot carry. The dev server sends none.
  preview: { headers: { 'Content-Security-Policy': CSP_HEADER } },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
  },
});
