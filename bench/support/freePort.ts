/** A free TCP port (the tests' helper) and a wait for a server started on it to answer. */
import { waitFor } from '../../test/support/waitFor.ts';

export { freePort } from '../../test/support/freePort.ts';

/** Polls `url` until it answers 200; returns ms waited. Throws after `timeoutMs`, or as soon as `isAlive()` says the process is gone. */
export async function waitForHttp200(url: string, timeoutMs: number, isAlive: () => boolean = () => true, intervalMs = 10): Promise<number> {
  const started = performance.now();
  let lastError = '';
  const answered200 = async () => {
    if (!isAlive()) throw new Error(`process exited before ${url} answered (${lastError})`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return true;
      lastError = `HTTP ${res.status}`;
    } catch (error) {
      lastError = String(error);
    }
    return false;
  };
  await waitFor(answered200, { what: `${url} to answer 200`, timeoutMs, intervalMs, seen: () => lastError });
  return performance.now() - started;
}
