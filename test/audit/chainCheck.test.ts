/** The chain check alone: given events in position order, it names the first bad position and what is wrong. */
import { describe, expect, it } from 'vitest';
import { ChainCheck } from '../../src/audit/chainCheck.ts';
import { chainHash, GENESIS_HASH } from '../../src/events/hashChain.ts';
import { type EventRow, rowFromEvent } from '../../src/events/eventRows.ts';
import type { StoredEvent } from '../../src/events/types.ts';

function chain(count: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let previous = GENESIS_HASH;
  for (let position = 1; position <= count; position += 1) {
    const event = {
      position,
      eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
      streamId: `thread-${position % 3}`,
      streamVersion: Math.ceil(position / 3),
      type: 'MessagePosted',
      schemaVersion: 2,
      data: { body: `m${position}`, format: 'plain' },
      metadata: { actorId: null, correlationId: 'c', causationId: null },
      recordedAt: 1_700_000_000_000 + position,
    };
    previous = chainHash(previous, event);
    events.push({ ...event, hash: previous });
  }
  return events;
}

function walk(events: readonly StoredEvent[], head?: { position: number; hash: string }) {
  const check = new ChainCheck();
  for (const event of events) {
    const finding = check.push(event);
    if (finding) return finding;
  }
  return check.end(head);
}

describe('ChainCheck', () => {
  it('accepts a whole chain and ends at its last hash', () => {
    const events = chain(10);
    const check = new ChainCheck();
    for (const e of events) expect(check.push(e)).toBeUndefined();
    expect(check.end({ position: 10, hash: events[9]!.hash })).toBeUndefined();
    expect(check.count).toBe(10);
    expect(check.head).toEqual({ position: 10, hash: events[9]!.hash });
  });

  it('calls a changed body with an unchanged hash edited', () => {
    const events = chain(10);
    events[4] = { ...events[4]!, data: { body: 'changed', format: 'plain' } };
    expect(walk(events)).toMatchObject({ kind: 'edited', position: 5 });
  });

  it('calls a changed last event edited when the head still records its hash', () => {
    const events = chain(5);
    const head = { position: 5, hash: events[4]!.hash };
    events[4] = { ...events[4]!, data: { body: 'changed' } };
    expect(walk(events, head)).toMatchObject({ kind: 'edited', position: 5 });
  });

  it('calls a gap in the positions missing, from its first position', () => {
    const events = chain(10).filter((e) => e.position !== 4 && e.position !== 5);
    expect(walk(events)).toMatchObject({ kind: 'missing', position: 4, detail: expect.stringContaining('positions 4-5 are missing') });
  });

  it('calls a chain that stops short of its head missing', () => {
    const events = chain(10);
    expect(walk(events.slice(0, 8), { position: 10, hash: events[9]!.hash })).toMatchObject({ kind: 'missing', position: 9 });
  });

  it('calls two events that swapped places (with their positions rewritten) reordered', () => {
    const events = chain(10);
    const third = events[2]!;
    const seventh = events[6]!;
    events[2] = { ...seventh, position: 3 };
    events[6] = { ...third, position: 7 };
    expect(walk(events)).toMatchObject({ kind: 'reordered', position: 3 });
  });

  it('calls events out of position order reordered', () => {
    const events = chain(5);
    expect(walk([events[0]!, events[2]!, events[1]!])).toMatchObject({ kind: 'missing', position: 2 });
    expect(walk([events[0]!, events[1]!, events[0]!])).toMatchObject({ kind: 'reordered', position: 1 });
  });

  it('calls a chain whose end differs from the head row a head mismatch', () => {
    const events = chain(3);
    expect(walk(events, { position: 3, hash: 'f'.repeat(64) })).toMatchObject({ kind: 'head-mismatch', position: 3 });
  });

  describe('on stored rows', () => {
    const walkRows = (rows: readonly EventRow[]) => {
      const check = new ChainCheck();
      for (const row of rows) {
        const finding = check.pushRow(row);
        if (finding) return finding;
      }
      return check.end();
    };

    it('passes rows stored as canonical text, and rows written before the text was canonical', () => {
      const rows = chain(20).map((e) => rowFromEvent(e));
      expect(walkRows(rows)).toBeUndefined();
      // An older log kept JSON.stringify's key order: the same values, other bytes, the same hashes.
      const older = rows.map((row) => ({ ...row, data: JSON.stringify(JSON.parse(String(row.data)), ['format', 'body']) }));
      expect(older[0]!.data).not.toBe(rows[0]!.data);
      expect(walkRows(older)).toBeUndefined();
    });

    it('still names an edited row, and a row moved, at its position', () => {
      const rows = chain(12).map((e) => rowFromEvent(e));
      const edited = rows.map((row, i) => (i === 6 ? { ...row, data: String(row.data).replace('m7', 'mX') } : row));
      expect(walkRows(edited)).toMatchObject({ kind: 'edited', position: 7 });
      const swapped = [...rows];
      [swapped[3], swapped[4]] = [{ ...rows[4]!, position: 4 }, { ...rows[3]!, position: 5 }];
      expect(walkRows(swapped)).toMatchObject({ position: 4 });
    });
  });
});

