/**
 * Loaded into a server process with `--import`, so the bench can measure
 * any server (Thrds' own entry point included) from the inside: heap and
 * RSS after a full GC, CPU time, and a clean exit that lets --cpu-prof
 * write its profile.
 */
import { serveParent } from './childRuntime.ts';

const gc = (globalThis as { gc?: () => void }).gc;

serveParent({
  memory: async () => {
    if (gc) {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const usage = process.memoryUsage();
    return { type: 'memory', gcForced: gc !== undefined, ...usage };
  },
  cpu: () => {
    const usage = process.cpuUsage();
    return { type: 'cpu', user: usage.user, system: usage.system };
  },
  stop: () => {
    process.exit(0);
  },
});
