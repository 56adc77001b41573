/** consecutiveAfter: how a tailing reader (the log feed) reads the log without ever skipping a position. */
import { describe, expect, it } from 'vitest';
import { consecutiveAfter } from '../../src/events/eventStore.ts';

const at = (...positions: number[]) => positions.map((position) => ({ position }));

describe('consecutiveAfter', () => {
  it('given a read with every position after the last one seen, when taken, then all of it is kept', () => {
    expect(consecutiveAfter(10, at(11, 12, 13))).toEqual(at(11, 12, 13));
  });

  it('given a read in which a commit shows before the one below it, when taken, then it stops at the missing position', () => {
    expect(consecutiveAfter(752, at(753, 754, 758, 760))).toEqual(at(753, 754));
    expect(consecutiveAfter(752, at(754, 755))).toEqual([]);
  });

  it('given an empty read, when taken, then nothing is kept', () => {
    expect(consecutiveAfter(0, [])).toEqual([]);
  });
});
