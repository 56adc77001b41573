/** Processes below a process, from /proc (Linux): to prove that killing a parent leaves none behind. */
import { readdirSync, readFileSync } from 'node:fs';
import { WaitTimeoutError, waitFor } from '../../support/waitFor.ts';

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // gone meanwhile
  }
}

export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie has exited; only its parent has not read its status yet.
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** Waits until none of `pids` runs; returns those still running after `ms`. */
export async function waitUntilGone(pids: readonly number[], ms: number): Promise<number[]> {
  await waitFor(() => !pids.some(isAlive), { what: `processes ${pids.join(', ')} to end`, timeoutMs: ms, intervalMs: 100 }).catch((error: unknown) => {
    if (!(error instanceof WaitTimeoutError)) throw error;
  });
  return pids.filter(isAlive);
}
