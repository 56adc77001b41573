/** waitFor, the tests' one way to wait: it returns as soon as the condition holds and fails saying what it waited for. */
import { describe, expect, it } from 'vitest';
import { WaitTimeoutError, waitFor } from './waitFor.ts';

describe('waitFor', () => {
  it('given a condition that holds on the third check, when waited for, then it resolves with the value of that check', async () => {
    let checks = 0;
    const value = await waitFor(() => ((checks += 1) >= 3 ? `ready after ${checks}` : false), { what: 'three checks', intervalMs: 1 });
    expect(value).toBe('ready after 3');
  });

  it('given a condition that never holds, when waited for, then it fails after the timeout naming what it waited for and what it saw', async () => {
    const started = performance.now();
    const failure = await waitFor(() => 0, { what: 'the subscriber to reach position 12', timeoutMs: 50, intervalMs: 5, seen: () => 'position 9' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WaitTimeoutError);
    expect((failure as Error).message).toBe('timed out after 50 ms waiting for the subscriber to reach position 12 (seen: position 9)');
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('given a condition that throws, when waited for, then the wait ends at once with that error', async () => {
    let checks = 0;
    const exited = new Error('the server exited while starting');
    const failure = await waitFor(
      () => {
        checks += 1;
        throw exited;
      },
      { what: 'the server', timeoutMs: 5000 },
    ).catch((error: unknown) => error);
    expect(failure).toBe(exited);
    expect(checks).toBe(1);
  });
});
