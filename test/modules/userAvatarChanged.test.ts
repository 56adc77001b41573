/** UserAvatarChanged: which uploads make an avatar, what a change appends and erases, and its step in the users read model, as given/when/then. */
import { describe, expect, it } from 'vitest';
import type { AttachmentData } from '../../src/attachments/attachmentTypes.ts';
import type { UploadRow } from '../../src/attachments/uploadRows.ts';
import { type AvatarImage, avatarImageOf, decideAvatarChange } from '../../src/modules/userAvatarChanged.ts';
import { evolveUserChanges } from '../../src/projections/usersProjection.ts';
import { ana, bob, recorded } from './given.ts';

const uploadId = 'e0000000-0000-4000-8000-00000000000e';
const thumbnail = { sha256: 't'.repeat(64), contentType: 'image/webp', byteSize: 900, width: 120, height: 80 };
const data: AttachmentData = { id: uploadId, sha256: 'f'.repeat(64), contentType: 'image/png', byteSize: 4000, name: 'me.png', alt: null, width: 1200, height: 800, thumbnail };
const upload = (changes: Partial<UploadRow> = {}, dataChanges: Partial<AttachmentData> = {}): UploadRow => ({
  id: uploadId,
  ownerId: ana.userId,
  createdAt: 1,
  claimToken: null,
  data: { ...data, ...dataChanges },
  ...changes,
});
const image: AvatarImage = { ...thumbnail };
const current = { id: 'a1000000-0000-4000-8000-0000000000a1', sha256: 'o'.repeat(64), contentType: 'image/webp', byteSize: 700 };
const newId = 'a2000000-0000-4000-8000-0000000000a2';

describe('avatarImageOf', () => {
  it('given her own unposted image upload, then the avatar is its thumbnail, not the full-size image', () => {
    expect(avatarImageOf(upload(), uploadId, ana)).toEqual(thumbnail);
  });

  it('given no such upload, or another’s, then it is NOT_FOUND alike', () => {
    expect(() => avatarImageOf(undefined, uploadId, ana)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => avatarImageOf(upload({ ownerId: bob.userId }), uploadId, ana)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('given an upload already posted, or one that is not an image, then it is BAD_USER_INPUT with its reason', () => {
    expect(() => avatarImageOf(upload({ claimToken: 'k' }), uploadId, ana)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'attachmentId', reason: 'ALREADY_POSTED' } }));
    expect(() => avatarImageOf(upload({}, { thumbnail: null, contentType: 'text/plain' }), uploadId, ana)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'attachmentId', reason: 'NOT_AN_IMAGE' } }),
    );
  });
});

describe('decideAvatarChange', () => {
  it('given no avatar yet, when setting one, then one UserAvatarChanged with the picture as erasable content under its own key, erasing nothing', () => {
    const request = decideAvatarChange(image, { current: { avatar: null, version: 3 } }, ana, newId);
    expect(request).toMatchObject({ streamId: `user-${ana.userId}`, expectedVersion: 3, metadata: { actorId: ana.userId } });
    expect(request?.events).toEqual([
      { type: 'UserAvatarChanged', schemaVersion: 1, data: { userId: ana.userId, avatarId: newId, avatar: image }, erasable: { key: `avatar:${newId}`, fields: ['avatar'] } },
    ]);
  });

  it('given an avatar, when setting another or clearing it, then the change erases the key of the one it replaces', () => {
    const facts = { current: { avatar: current, version: 4 } };
    expect(decideAvatarChange(image, facts, ana, newId)?.events[0]?.data).toEqual({ userId: ana.userId, avatarId: newId, avatar: image, erases: `avatar:${current.id}` });
    expect(decideAvatarChange(null, facts, ana, newId)?.events[0]?.data).toEqual({ userId: ana.userId, avatarId: newId, avatar: null, erases: `avatar:${current.id}` });
  });

  it('given no avatar, when clearing, then nothing is appended; given no such user, NOT_FOUND', () => {
    expect(decideAvatarChange(null, { current: { avatar: null, version: 1 } }, ana, newId)).toBeNull();
    expect(() => decideAvatarChange(image, { current: null }, ana, newId)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('UserAvatarChanged in the users read model', () => {
  it('given a set then a clear, then the row holds the avatar, then none; an erased event (content read as \'\') holds none', () => {
    const set = recorded('UserAvatarChanged', { userId: ana.userId, avatarId: newId, avatar: image });
    expect(evolveUserChanges([set]).patched.get(ana.userId)).toEqual({ avatar: { id: newId, sha256: image.sha256, contentType: 'image/webp', byteSize: 900 } });
    const cleared = recorded('UserAvatarChanged', { userId: ana.userId, avatarId: current.id, avatar: null, erases: `avatar:${newId}` });
    expect(evolveUserChanges([set, cleared]).patched.get(ana.userId)).toEqual({ avatar: null });
    const erased = recorded('UserAvatarChanged', { userId: ana.userId, avatarId: newId, avatar: '' });
    expect(evolveUserChanges([erased]).patched.get(ana.userId)).toEqual({ avatar: null });
  });

  it('given a user registered in the same run, then the registration row carries the avatar', () => {
    const registered = recorded('UserRegistered', { userId: bob.userId, username: 'bob', displayName: 'Bob' });
    const set = recorded('UserAvatarChanged', { userId: bob.userId, avatarId: newId, avatar: image });
    expect(evolveUserChanges([registered, set]).created.get(bob.userId)?.avatar).toMatchObject({ id: newId });
  });
});
