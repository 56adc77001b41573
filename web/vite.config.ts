/**
 * Builds the web app from `web/` into `web/dist`. `npm run dev:web` serves it
 * with hot reload and forwards `/graphql` (HTTP and WebSocket) to a Thrds
 * server already running on THRDS_URL (default http://localhost:4000).
 *
 * The build keeps its source maps for us (`hidden`: no `sourceMappingURL` in
 * the scripts, and the server answers 404 for `*.map`), and writes a Brotli
 * and a gzip copy beside every text file, so the server never compresses the
 * app per request (src/http/compressedVariants.ts has the measurements).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorker } from './scripts/serviceWorkerPlugin.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const target = process.env['THRDS_URL'] ?? 'http://localhost:4000';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Files worth compressing (fonts and images are compressed already; maps are never served). */
const compressible = /\.(html|js|mjs|css|json|svg|txt|webmanifest)$/;

/**
 * Writes `<file>.br` and `<file>.gz` (level 9) beside each text file of the build, when they are smaller.
 * Brotli level 10, not 11: on the built scripts 11 saves 2.5 % more (247 vs 253 KB) for twice the CPU
 * (2.4 s vs 1.2 s on 2 cores), paid by every test worker that rebuilds a stale web/dist.
 */
function precompress(): Plugin {
  let outDir = '';
  const files = async (dir: string): Promise<string[]> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? files(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))));
    return nested.flat();
  };
  return {
    name: 'thrds-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const targets = (await files(outDir)).filter((f) => compressible.test(f));
      await Promise.all(
        targets.map(async (file) => {
          const raw = await readFile(file);
          if (raw.length < 1024) return;
          const [br, gz] = await Promise.all([
            brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 10, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
            gzipAsync(raw, { level: 9 }),
          ]);
          if (br.length < raw.length) await writeFile(`${file}.br`, br);
          if (gz.length < raw.length) await writeFile(`${file}.gz`, gz);
        }),
      );
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), serviceWorker(join(root, 'src/shell/serviceWorker.js')), precompress()],
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: 'hidden',
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
