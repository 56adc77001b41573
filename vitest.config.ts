import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/** The fault-injection suites time /healthz, /readyz and every request against bounds: they run last, one file at a time, on a machine no other suite is loading. */
const FAULTS = 'test/faults/**/*.test.ts';
/** The web app in Chromium: its own project, so a run can leave it out (`--project suite --project faults`; CI does on Node 20). */
const BROWSER = 'test/**/*.browser.test.ts';

export default defineConfig({
  resolve: {
    // graphql ships CJS (main) and ESM (module) builds without an exports map. Node loads the CJS
    // one for everybody; Vite would give our sources the ESM one while Pothos and yoga keep the
    // CJS one, and graphql refuses a schema from "another realm". One copy, as in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    // The `thrds` the CLI tests run, compiled once (test/support/compiledCli.ts).
    globalSetup: ['test/support/compiledCli.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll's own default is 1 s: on two shared cores a browser round trip (a page of results, a
    // thumbnail) can take longer while other suites run. A poll that finds its value returns at once.
    expect: { poll: { timeout: 10_000 } },
    // Two cores: more workers only make the timing-sensitive suites slower.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'suite', include: ['test/**/*.test.ts', 'src/**/*.test.ts'], exclude: [FAULTS, BROWSER], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'browser', include: [BROWSER], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'faults', include: [FAULTS], sequence: { groupOrder: 1 }, fileParallelism: false },
      },
    ],
  },
});
