#!/usr/bin/env node
// The `thrds` command. In a development install (tsx present, sources beside us) it registers tsx and
// runs the TypeScript sources as they are; in production (`npm ci --omit=dev` after `npm run build`)
// there is no tsx and it runs the compiled CLI in dist/.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);

// `npm exec thrds serve` runs us under `sh -c`: npm passes SIGTERM and SIGINT on to that shell, which
// dies of them without passing them on, and we would serve on as an orphan. Started by npm, losing our
// parent is the stop signal it meant to send.
if (process.env.npm_command !== undefined) stopWhenOrphaned();

const tsx = existsSync(sources) ? await import('tsx/esm/api').catch(notInstalled) : undefined;
if (tsx) {
  tsx.register();
  await import(sources.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  console.error('thrds: no compiled CLI (dist/cli/main.js) and no tsx to run the sources: run `npm run build`, or `npm ci` for a development install');
  process.exitCode = 1;
}

/** tsx is a development dependency: missing is expected in production, any other failure is not. */
function notInstalled(error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND') return undefined;
  throw error;
}

function stopWhenOrphaned() {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 250);
  watch.unref();
}
