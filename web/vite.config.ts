/**
 * Builds the web app from `web/` into `web/dist`. `npm run dev:web` serves it
 * with hot reload and forwards `/graphql` (HTTP and WebSocket) to a Thrds
 * server already running on THRDS_URL (default http://localhost:4000).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const target = process.env['THRDS_URL'] ?? 'http://localhost:4000';

export default defineConfig({
  root,
  plugins: [react()],
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    port: 5173,
    proxy: {
      // The page comes from this dev server but speaks for the Thrds origin: the server refuses
      // origins THRDS_ALLOWED_ORIGINS does not name, so the proxy sends the target's own.
      '/graphql': { target, ws: true, changeOrigin: true, headers: { origin: new URL(target).origin } },
    },
  },
});
