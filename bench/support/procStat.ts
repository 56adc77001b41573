/**
 * CPU time and RSS of another process, read from /proc so the figure
 * covers every thread (GC, libuv pool) and needs no cooperation from it.
 */
import { readFileSync } from 'node:fs';

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
