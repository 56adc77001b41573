/**
 * ConnectionLimits, the count WebSocket and SSE share: given what is open,
 * when a connection asks to open or gives its place back, then the caps and
 * the counts are exact (a release is counted once, however often it is called).
 */
import { describe, expect, it } from 'vitest';
import { ConnectionLimits } from '../../src/protection/connectionLimits.ts';

describe('ConnectionLimits', () => {
  it('admits up to the per-address cap, then refuses that address but not another', () => {
    const limits = new ConnectionLimits({ maxConnectionsPerAddress: 2, maxConnections: 10 });
    expect(limits.tryOpen('10.0.0.1')).toBeTypeOf('function');
    expect(limits.tryOpen('10.0.0.1')).toBeTypeOf('function');
    expect(limits.tryOpen('10.0.0.1')).toBeNull();
    expect(limits.tryOpen('10.0.0.2')).toBeTypeOf('function');
    expect(limits.open('10.0.0.1')).toBe(2);
    expect(limits.open()).toBe(3);
  });

  it('refuses every address once the total cap is reached', () => {
    const limits = new ConnectionLimits({ maxConnectionsPerAddress: 5, maxConnections: 2 });
    limits.tryOpen('a');
    limits.tryOpen('b');
    expect(limits.tryOpen('c')).toBeNull();
  });

  it('gives a place back exactly once, however often release is called', () => {
    const limits = new ConnectionLimits({ maxConnectionsPerAddress: 1, maxConnections: 1 });
    const release = limits.tryOpen('a')!;
    expect(limits.tryOpen('a')).toBeNull();
    release();
    release();
    expect(limits.open()).toBe(0);
    expect(limits.open('a')).toBe(0);
    const again = limits.tryOpen('a');
    expect(again).toBeTypeOf('function');
    release();
    expect(limits.open()).toBe(1);
    expect(limits.tryOpen('b')).toBeNull();
  });
});
