/**
 * Loaded into a server process with `--import`, so the bench can measure
 * any server (Thrds' own entry point included) from the inside: heap and
 * RSS after a full GC, CPU time, a CPU profile of one phase, and a clean
 * exit that lets --cpu-prof write its profile, and (Thrds started with
 * THRDS_BENCH_TRACE=1) the trace marks of chosen log positions.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { serveParent } from './childRuntime.ts';
import { benchTrace } from '../../src/observability/benchTrace.ts';

let session: Session | undefined;

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
  /** Starts the V8 sampling profiler in this process (to profile one phase, not start-up). */
  profileStart: async () => {
    session ??= new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    return { type: 'profiling' };
  },
  /** Stops the profiler and writes the .cpuprofile to `file`. */
  profileStop: async (message) => {
    if (!session) throw new Error('profiler not started');
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(String(message.file), JSON.stringify(profile));
    return { type: 'profiled', file: message.file };
  },
  /** Samples heap allocations from now on (to see what new connections keep alive). */
  heapSampleStart: async () => {
    session ??= new Session();
    session.connect();
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 512 });
    return { type: 'heapSampling' };
  },
  /** After a full GC, returns the sampled allocations that are still alive. */
  heapSampleStop: async () => {
    if (!session) throw new Error('heap sampling not started');
    gc?.();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    session.disconnect();
    return { type: 'heapSampled', head: profile.head };
  },
  /** The marks of `positions` (src/observability/benchTrace.ts); fails when the server was not started to trace. */
  trace: (message) => {
    if (!benchTrace) throw new Error('this server was not started with THRDS_BENCH_TRACE=1');
    return { type: 'trace', marks: benchTrace.read(message.positions as number[]) };
  },
  stop: () => {
    process.exit(0);
  },
});
