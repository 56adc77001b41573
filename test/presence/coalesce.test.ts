/** Coalescing: a burst is one run, at most one run per interval, the first after a quiet period at once. */
import { describe, expect, it } from 'vitest';
import { coalesce } from '../../src/presence/coalesce.ts';
import { waitFor } from '../support/waitFor.ts';

describe('coalesce', () => {
  it('runs a synchronous burst of changes once, on the next turn', async () => {
    let runs = 0;
    const c = coalesce(() => (runs += 1), 250);
    for (let i = 0; i < 1000; i += 1) c.poke();
    expect(runs).toBe(0);
    await waitFor(() => runs === 1, { what: 'one run' });
    c.stop();
  });

  it('runs at most about four times a second under a steady stream of changes', async () => {
    const runs: number[] = [];
    const c = coalesce(() => runs.push(performance.now()), 250);
    const started = performance.now();
    const stream = setInterval(() => c.poke(), 5);
    await waitFor(() => performance.now() - started > 1100, { what: '1.1 s', timeoutMs: 5000 });
    clearInterval(stream);
    c.stop();
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < runs.length; i += 1) expect(runs[i]! - runs[i - 1]!).toBeGreaterThanOrEqual(245);
  });

  it('sends the first change after a quiet period within a few milliseconds', async () => {
    let ranAt = 0;
    const c = coalesce(() => (ranAt = performance.now()), 250);
    c.poke();
    await waitFor(() => ranAt > 0, { what: 'the first run' });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the quiet period itself is what is tested
    const poked = performance.now();
    c.poke();
    await waitFor(() => ranAt >= poked, { what: 'the run after the quiet period' });
    expect(ranAt - poked).toBeLessThan(100);
    c.stop();
  });

  it('never runs after stop', async () => {
    let runs = 0;
    const c = coalesce(() => (runs += 1), 10);
    c.poke();
    c.stop();
    c.poke();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toBe(0);
  });
});
