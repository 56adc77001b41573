/**
 * Waits for the subscribers to receive every delivery of a phase: polls
 * their count every 100 ms until it reaches `expected` (true), or the
 * deadline passes, or it has not moved for 10 s (false: the server fell
 * behind, and what is outstanding is late, maybe lost).
 */
export async function waitForDrain(received: () => Promise<number>, expected: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  let last = -1;
  let lastChange = performance.now();
  for (;;) {
    const now = await received();
    if (now >= expected) return true;
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    }
    if (performance.now() > deadline || performance.now() - lastChange > 10_000) return false;
    await new Promise((resolve) => setTimeout(resolve, 100)); // polling the subscribers' counts
  }
}
