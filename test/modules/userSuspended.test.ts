/** UserSuspended: who may suspend whom, what counts as no change, and its step in the users read model, as given/when/then. */
import { describe, expect, it } from 'vitest';
import { decideSuspendUser, type SuspendUserFacts } from '../../src/modules/userSuspended.ts';
import { evolveUserChanges } from '../../src/projections/usersProjection.ts';
import { UNTIL_FURTHER_NOTICE } from '../../src/projections/usersQueries.ts';
import { ana, recorded } from './given.ts';

const carol = 'c1000000-0000-4000-8000-00000000000c';
const now = Date.UTC(2026, 5, 1, 12);
const hour = 3_600_000;

const facts = (target: Partial<NonNullable<SuspendUserFacts['target']>> | null = {}, actorRole: SuspendUserFacts['actorRole'] = 'MODERATOR'): SuspendUserFacts => ({
  actorRole,
  target: target === null ? null : { role: 'MEMBER', suspendedUntil: null, version: 2, ...target },
});

describe('decideSuspendUser', () => {
  it('given a moderator, when they suspend a member for an hour, then one UserSuspended carries the end, expecting the version read, with the moderator as actor', () => {
    expect(decideSuspendUser({ userId: carol, until: now + hour }, facts(), ana, now)).toMatchObject({
      streamId: `user-${carol}`,
      expectedVersion: 2,
      events: [{ type: 'UserSuspended', data: { userId: carol, until: now + hour } }],
      metadata: { actorId: ana.userId },
    });
  });

  it('given no end, when suspending, then the event says until further notice (null)', () => {
    expect(decideSuspendUser({ userId: carol }, facts(), ana, now)?.events[0]?.data).toEqual({ userId: carol, until: null });
  });

  it('given a member, when they suspend anyone, then it is FORBIDDEN', () => {
    expect(() => decideSuspendUser({ userId: carol }, facts({}, 'MEMBER'), ana, now)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('given a moderator, when they suspend themselves, another moderator or an admin, then it is FORBIDDEN', () => {
    expect(() => decideSuspendUser({ userId: ana.userId }, facts({ role: 'MODERATOR' }), ana, now)).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining('yourself') }));
    expect(() => decideSuspendUser({ userId: carol }, facts({ role: 'MODERATOR' }), ana, now)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => decideSuspendUser({ userId: carol }, facts({ role: 'ADMIN' }), ana, now)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('given an admin, when they suspend a moderator, then it is appended; another admin, FORBIDDEN', () => {
    expect(decideSuspendUser({ userId: carol }, facts({ role: 'MODERATOR' }, 'ADMIN'), ana, now)).not.toBeNull();
    expect(() => decideSuspendUser({ userId: carol }, facts({ role: 'ADMIN' }, 'ADMIN'), ana, now)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('given a suspended member, when the end is set in the past, then the suspension is lifted by an event', () => {
    expect(decideSuspendUser({ userId: carol, until: now - 1 }, facts({ suspendedUntil: now + hour }), ana, now)?.events[0]?.data).toEqual({ userId: carol, until: now - 1 });
  });

  it('given nothing would change (the same end, or lifting a suspension not in force), then nothing is appended', () => {
    expect(decideSuspendUser({ userId: carol, until: now + hour }, facts({ suspendedUntil: now + hour }), ana, now)).toBeNull();
    expect(decideSuspendUser({ userId: carol, until: null }, facts({ suspendedUntil: UNTIL_FURTHER_NOTICE }), ana, now)).toBeNull();
    expect(decideSuspendUser({ userId: carol, until: now - 1 }, facts(), ana, now)).toBeNull();
    expect(decideSuspendUser({ userId: carol, until: now - 1 }, facts({ suspendedUntil: now - hour }), ana, now)).toBeNull();
  });

  it('given a suspension that has run out, when a new end is set, then it suspends again', () => {
    expect(decideSuspendUser({ userId: carol, until: now + hour }, facts({ suspendedUntil: now - hour }), ana, now)).not.toBeNull();
  });

  it('given no such user, then NOT_FOUND; given a malformed id or an end past 9999, then BAD_USER_INPUT', () => {
    expect(() => decideSuspendUser({ userId: carol }, facts(null), ana, now)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decideSuspendUser({ userId: 'carol' }, facts(), ana, now)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => decideSuspendUser({ userId: carol, until: UNTIL_FURTHER_NOTICE + 1 }, facts(), ana, now)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('the users read model, evolved by UserSuspended', () => {
  it('given an end later than the event, then suspended_until is that end', () => {
    const event = recorded('UserSuspended', { userId: carol, until: Date.UTC(2100, 0, 1) });
    expect(evolveUserChanges([event]).patched.get(carol)).toEqual({ suspendedUntil: Date.UTC(2100, 0, 1) });
  });

  it('given no end, then suspended_until is UNTIL_FURTHER_NOTICE', () => {
    expect(evolveUserChanges([recorded('UserSuspended', { userId: carol, until: null })]).patched.get(carol)).toEqual({ suspendedUntil: UNTIL_FURTHER_NOTICE });
  });

  it('given an end at or before the event was recorded, then the suspension is lifted (null)', () => {
    const event = recorded('UserSuspended', { userId: carol, until: 0 });
    expect(evolveUserChanges([event]).patched.get(carol)).toEqual({ suspendedUntil: null });
    expect(evolveUserChanges([recorded('UserSuspended', { userId: carol, until: event.recordedAt + 1000 })]).patched.get(carol)).toEqual({ suspendedUntil: null });
  });

  it('given a suspension then a lift in the same run, then the user ends up not suspended, role untouched', () => {
    const changes = evolveUserChanges([recorded('UserSuspended', { userId: carol, until: null }), recorded('UserSuspended', { userId: carol, until: 1 })]);
    expect(changes.patched.get(carol)).toEqual({ suspendedUntil: null });
  });
});
