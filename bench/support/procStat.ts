/**
 * CPU time and RSS of another process, read from /proc so the figure
 * covers every thread (GC, libuv pool) and needs no cooperation from it.
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // sysconf(_SC_CLK_TCK) on Linux x86-64/arm64
const PAGE_SIZE = 4096;

/** User + system CPU time of `pid` in ms (10 ms resolution). */
export function cpuTimeMs(pid: number): number {
  const fields = statFields(pid);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Resident set size of `pid` in bytes. */
export function rssBytes(pid: number): number {
  return Number(statFields(pid)[21]) * PAGE_SIZE;
}

/** Fields after the `(comm)`, so index 0 is field 3 (state) of proc(5). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Busy and total jiffies of all CPUs together (from /proc/stat), to tell when the machine itself was full. */
export function machineCpuTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, v) => sum + v, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/** Share (0..1) of all the machine's CPUs that were busy since `since`. */
export function machineBusySince(since: { busy: number; total: number }): number {
  const now = machineCpuTicks();
  const total = now.total - since.total;
  return total > 0 ? (now.busy - since.busy) / total : 0;
}

/** The pid of a local process by its command name (e.g. the database server), if one runs here. */
export function findProcess(names: readonly string[]): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
