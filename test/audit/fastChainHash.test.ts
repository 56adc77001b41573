/** The bulk hash must agree with the chain's definition on every kind of value, or verify would misjudge logs. */
import { describe, expect, it } from 'vitest';
import { fastChainHash, hashFunctionFor } from '../../src/audit/fastChainHash.ts';
import { chainHash, GENESIS_HASH, type HashableEvent } from '../../src/events/hashChain.ts';
import { syntheticEvents } from '../../bench/logTools/syntheticLog.ts';

const base: HashableEvent = {
  position: 7,
  eventId: '0b0e8c1e-2f7c-4d7e-9d3c-6a9f0c1d2e3f',
  streamId: 'thread-x',
  streamVersion: 3,
  type: 'MessagePosted',
  schemaVersion: 2,
  data: {},
  metadata: { actorId: null, correlationId: 'c', causationId: null },
  recordedAt: 1_763_000_000_123,
};

const awkward: Array<Record<string, unknown>> = [
  { body: 'plain' },
  { body: 'quotes " and \\ backslashes, \n newlines, \t tabs, \u0001 controls' },
  { body: 'ünïcödé ✓ 🎉 \u2028 \u2029', 'ключ': 'значение', Zeta: 1, alpha: 2, _under: 3, '': 'empty key' },
  { nested: { b: [3, { z: null, a: [true, false] }], a: { y: 1.5, x: -0, w: 1e21, v: 1e-7 } } },
  { withUndefined: undefined, kept: 'yes', list: [undefined, null, 'x'] },
  { numbers: [0, -1, 2 ** 53 - 1, 0.1 + 0.2] },
];

describe('fastChainHash', () => {
  it.each(awkward.map((data, i) => [i, data] as const))('agrees with chainHash on awkward data #%i', (_i, data) => {
    const event = { ...base, data };
    expect(fastChainHash(GENESIS_HASH, event)).toBe(chainHash(GENESIS_HASH, event));
  });

  it('agrees with chainHash along a synthetic log with both MessagePosted versions', () => {
    for (const event of syntheticEvents(3000, { users: 10, threads: 20 })) {
      expect(fastChainHash(GENESIS_HASH, event)).toBe(chainHash(GENESIS_HASH, event));
    }
  });

  it('is chosen only when it agrees with the reference', () => {
    expect(hashFunctionFor(GENESIS_HASH, base)).toBe(fastChainHash);
  });
});
