/** A TCP port on 127.0.0.1 that was free a moment ago (for servers that take PORT from env). */
import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200; returns ms waited. Throws after `timeoutMs`. */
export async function waitForHttp200(url: string, timeoutMs: number, isAlive: () => boolean = () => true, intervalMs = 10): Promise<number> {
  const started = performance.now();
  let lastError = '';
  while (performance.now() - started < timeoutMs) {
    if (!isAlive()) throw new Error(`process exited before ${url} answered (${lastError})`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - started;
      lastError = `HTTP ${res.status}`;
    } catch (error) {
      lastError = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (${lastError})`);
}
