/** The one write check (permissions.ts), as given/when/then: suspensions and locks refuse with FORBIDDEN, anything else passes. */
import { describe, expect, it } from 'vitest';
import { decideMayWrite, isModerator, type WriteFacts } from '../../src/modules/permissions.ts';
import { UNTIL_FURTHER_NOTICE } from '../../src/projections/usersQueries.ts';

const now = Date.UTC(2026, 5, 1, 12);
const member = (facts: Partial<WriteFacts> = {}): WriteFacts => ({ role: 'MEMBER', suspendedUntil: null, locked: false, ...facts });

describe('decideMayWrite', () => {
  it('given a member in good standing writing into an open thread, then the write may go ahead', () => {
    expect(() => decideMayWrite(member(), now)).not.toThrow();
  });

  it('given a suspension that ends later, then the write is FORBIDDEN and the message says until when', () => {
    const until = now + 60_000;
    expect(() => decideMayWrite(member({ suspendedUntil: until }), now)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining(new Date(until).toISOString()) }),
    );
  });

  it('given a suspension until further notice, then the write is FORBIDDEN "until further notice", even for an admin', () => {
    expect(() => decideMayWrite(member({ role: 'ADMIN', suspendedUntil: UNTIL_FURTHER_NOTICE }), now)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining('until further notice') }),
    );
  });

  it('given a suspension that has ended (now, or before), then the write may go ahead', () => {
    expect(() => decideMayWrite(member({ suspendedUntil: now }), now)).not.toThrow();
    expect(() => decideMayWrite(member({ suspendedUntil: now - 1 }), now)).not.toThrow();
  });

  it('given a locked thread, then the write is FORBIDDEN "locked", for moderators too', () => {
    for (const role of ['MEMBER', 'MODERATOR', 'ADMIN'] as const) {
      expect(() => decideMayWrite(member({ role, locked: true }), now)).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining('locked') }));
    }
  });
});

describe('roles', () => {
  it('moderators and admins moderate; members do not', () => {
    expect([isModerator('MEMBER'), isModerator('MODERATOR'), isModerator('ADMIN')]).toEqual([false, true, true]);
  });
});
