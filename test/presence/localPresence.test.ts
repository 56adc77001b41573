/** The presence tracker and its snapshots: people are distinct users, connections are connections, per scope. */
import { describe, expect, it } from 'vitest';
import { LocalPresence } from '../../src/presence/localPresence.ts';
import { samePresence, snapshotOf } from '../../src/presence/presenceCounts.ts';

const T1 = '00000000-0000-4000-8000-000000000001';
const T2 = '00000000-0000-4000-8000-000000000002';

function tracker() {
  const changes: Array<string | undefined> = [];
  const local = new LocalPresence((scope) => changes.push(scope));
  return { local, changes, snap: (threadId?: string) => snapshotOf([local.scope(threadId)]) };
}

describe('local presence', () => {
  it('counts one person with three tabs as one person and three connections, and an anonymous tab as a connection only', () => {
    const { local, snap } = tracker();
    local.connect('alice');
    local.connect('alice');
    local.connect('alice');
    local.connect('bob');
    local.connect(null);
    expect(snap()).toEqual({ people: 2, connections: 5, userIds: ['alice', 'bob'] });
  });

  it('orders people by connections, then by id', () => {
    const { local, snap } = tracker();
    for (const user of ['carol', 'bob', 'alice', 'bob']) local.connect(user);
    expect(snap().userIds).toEqual(['bob', 'alice', 'carol']);
  });

  it('keeps a user online while any of their connections lives', () => {
    const { local, snap } = tracker();
    const first = local.connect('alice');
    const second = local.connect('alice');
    first.close();
    expect(snap()).toMatchObject({ people: 1, connections: 1 });
    second.close();
    second.close();
    expect(snap()).toEqual({ people: 0, connections: 0, userIds: [] });
  });

  it('counts a thread open once per connection, however many subscriptions hold it, until the last one leaves', () => {
    const { local, snap, changes } = tracker();
    const tab = local.connect('alice');
    const leaveA = tab.open(T1);
    const leaveB = tab.open(T1);
    local.connect('bob').open(T2);
    expect(snap(T1)).toEqual({ people: 1, connections: 1, userIds: ['alice'] });
    leaveA();
    leaveA();
    expect(snap(T1).connections).toBe(1);
    leaveB();
    expect(snap(T1).connections).toBe(0);
    expect(local.scope(T1)).toBeUndefined();
    expect(changes).toEqual([undefined, T1, undefined, T2, T1]);
  });

  it('closing a connection leaves every thread it had open, and opening after close does nothing', () => {
    const { local, snap } = tracker();
    const tab = local.connect('alice');
    tab.open(T1);
    tab.open(T1);
    tab.open(T2);
    tab.close();
    expect([snap(), snap(T1), snap(T2)].map((s) => s.connections)).toEqual([0, 0, 0]);
    tab.open(T1);
    expect(snap(T1).connections).toBe(0);
  });

  it('unites parts of several instances: people distinct over all of them, connections summed', () => {
    const here = tracker();
    here.local.connect('alice');
    here.local.connect('bob');
    const there = { connections: 3, users: { alice: 1, carol: 1 } };
    expect(snapshotOf([here.local.scope(), there])).toEqual({ people: 3, connections: 5, userIds: ['alice', 'bob', 'carol'] });
  });

  it('a thousand people joining and leaving cost a thousand small steps', () => {
    const { local, snap } = tracker();
    const started = performance.now();
    for (let round = 0; round < 10; round += 1) {
      const tabs = Array.from({ length: 1000 }, (_, i) => local.connect(`user-${i}`));
      for (const tab of tabs) tab.open(T1);
      for (const tab of tabs) tab.close();
    }
    // 30,000 changes: quadratic work would be ~10^10 steps; linear is well under a second even on a loaded machine.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(samePresence(snap(), { people: 0, connections: 0, userIds: [] })).toBe(true);
  });
});
