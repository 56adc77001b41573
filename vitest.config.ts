import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CJS (main) and ESM (module) builds without an exports map. Node loads the CJS
    // one for everybody; Vite would give our sources the ESM one while Pothos and yoga keep the
    // CJS one, and graphql refuses a schema from "another realm". One copy, as in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only make the timing-sensitive suites slower.
    maxWorkers: 2,
  },
});
