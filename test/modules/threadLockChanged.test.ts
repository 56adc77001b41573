/** ThreadLockChanged: who may lock, no event when nothing changes, and its step in the threads read model, as given/when/then. */
import { describe, expect, it } from 'vitest';
import { decideLockThread, type LockThreadFacts } from '../../src/modules/threadLockChanged.ts';
import { evolveThreads } from '../../src/projections/threadsProjection.ts';
import { ana, recorded, threadId } from './given.ts';

const facts = (thread: Partial<NonNullable<LockThreadFacts['thread']>> | null = {}, actorRole: LockThreadFacts['actorRole'] = 'MODERATOR'): LockThreadFacts => ({
  actorRole,
  thread: thread === null ? null : { locked: false, version: 7, ...thread },
});

describe('decideLockThread', () => {
  it('given a moderator and an open thread, when they lock it, then one ThreadLockChanged, expecting the version read, with the moderator as actor', () => {
    expect(decideLockThread({ threadId, locked: true }, facts(), ana)).toMatchObject({
      streamId: `thread-${threadId}`,
      expectedVersion: 7,
      events: [{ type: 'ThreadLockChanged', data: { threadId, locked: true } }],
      metadata: { actorId: ana.userId },
    });
  });

  it('given an admin and a locked thread, when they unlock it, then one ThreadLockChanged with locked false', () => {
    expect(decideLockThread({ threadId, locked: false }, facts({ locked: true }, 'ADMIN'), ana)?.events[0]?.data).toEqual({ threadId, locked: false });
  });

  it('given a member, when they lock or unlock, then it is FORBIDDEN', () => {
    expect(() => decideLockThread({ threadId, locked: true }, facts({}, 'MEMBER'), ana)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('given the thread is already so, then nothing is appended', () => {
    expect(decideLockThread({ threadId, locked: true }, facts({ locked: true }), ana)).toBeNull();
    expect(decideLockThread({ threadId, locked: false }, facts(), ana)).toBeNull();
  });

  it('given no such thread, then NOT_FOUND; given a malformed id, then BAD_USER_INPUT', () => {
    expect(() => decideLockThread({ threadId, locked: true }, facts(null), ana)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decideLockThread({ threadId: 'nope', locked: true }, facts(), ana)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('the threads read model, evolved by ThreadLockChanged', () => {
  it('given a thread created in the same run, when it is locked, then the row is inserted locked at the lock position', () => {
    const created = recorded('ThreadCreated', { threadId, title: 'T' });
    const locked = recorded('ThreadLockChanged', { threadId, locked: true });
    expect(evolveThreads([created, locked]).created.get(threadId)).toMatchObject({ locked: true, position: locked.position, lastActivityAt: created.recordedAt });
  });

  it('given an existing thread, when it is locked then unlocked, then one patch leaves it unlocked at the latest position', () => {
    const lock = recorded('ThreadLockChanged', { threadId, locked: true });
    const unlock = recorded('ThreadLockChanged', { threadId, locked: false });
    expect(evolveThreads([lock, unlock]).patched.get(threadId)).toEqual({ position: unlock.position, addedMessages: 0, locked: false });
  });
});
