/**
 * The chain hash is written out for speed; it must agree with its definition
 * (SHA-256 of the previous hash, a newline and the canonical JSON of the
 * event's nine fields) on every kind of value, or logs written before and
 * after a change would stop verifying. The reference here is spelled out the
 * plain way: sorted entries, joined.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/events/canonicalJson.ts';
import { chainHash, GENESIS_HASH, type HashableEvent } from '../../src/events/hashChain.ts';
import { syntheticEvents } from '../../bench/logTools/syntheticLog.ts';

function referenceJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => referenceJson(item ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceJson(v)}`).join(',')}}`;
}

function referenceHash(previousHash: string, event: HashableEvent): string {
  const { position, eventId, streamId, streamVersion, type, schemaVersion, data, metadata } = event;
  const canonical = referenceJson({ position, eventId, streamId, streamVersion, type, schemaVersion, data, metadata, recordedAt: new Date(event.recordedAt).toISOString() });
  return createHash('sha256').update(previousHash).update('\n').update(canonical).digest('hex');
}

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

describe('chainHash', () => {
  it.each(awkward.map((data, i) => [i, data] as const))('agrees with its definition on awkward data #%i', (_i, data) => {
    const event = { ...base, data };
    expect(canonicalJson(data)).toBe(referenceJson(data));
    expect(chainHash(GENESIS_HASH, event)).toBe(referenceHash(GENESIS_HASH, event));
  });

  it('agrees with its definition along a synthetic log with both MessagePosted versions', () => {
    for (const event of syntheticEvents(3000, { users: 10, threads: 20 })) {
      expect(chainHash(GENESIS_HASH, event)).toBe(referenceHash(GENESIS_HASH, event));
    }
  });

  it('keeps the hash logs were written with', () => {
    expect(chainHash(GENESIS_HASH, { ...base, data: { body: 'hello', threadId: 't' } })).toBe('384f7ae24d82cdf5caa8d60e3361cec17dd4cddf68f00db1b15eb48f50745b9e');
  });
});
