/**
 * Moderation end to end through real sockets on every store: the first
 * account is the admin, roles change only by admins and never leave a store
 * without one, locked threads and suspended users are refused with
 * FORBIDDEN and writing comes back when lifted, every action is an event
 * with its moderator as actor, and the read models rebuild to the same rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { rebuildProjections } from '../../src/projections/rebuild.ts';
import { allProjections } from '../../src/projections/projectionEngine.ts';
import { UNTIL_FURTHER_NOTICE } from '../../src/projections/usersQueries.ts';
import { tableRows } from '../cli/support/chatLog.ts';
import { storeKinds } from '../support/databases.ts';
import { waitFor } from '../support/waitFor.ts';
import { relaxedProtection } from '../support/protection.ts';
import { collect, CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';

const kinds = await storeKinds();

const ROLE = 'query ($id: ID!) { node(id: $id) { ... on User { role suspendedUntil } } }';
const ME = '{ me { id role suspendedUntil } }';
const SET_ROLE = 'mutation ($u: ID!, $r: Role!) { setUserRole(input: { userId: $u, role: $r }) { id role } }';
const LOCK = 'mutation ($t: ID!, $l: Boolean!) { lockThread(input: { threadId: $t, locked: $l }) { id locked position } }';
const SUSPEND = 'mutation ($u: ID!, $until: DateTime) { suspendUser(input: { userId: $u, until: $until }) { id suspendedUntil } }';
const RENAME = 'mutation ($t: ID!, $title: String!) { renameThread(input: { threadId: $t, title: $title }) { thread { title } } }';
const MODERATION_EVENTS = `query ($after: Position) {
  events(after: $after, types: ["UserRoleChanged", "UserSuspended", "ThreadLockChanged"]) {
    __typename position actor { username } correlationId
    ... on UserRoleChanged { user { username } role previousRole }
    ... on UserSuspended { user { username } until lifted }
    ... on ThreadLockChanged { thread { id } locked }
  }
}`;

type Account = { token: string; id: string };
const codeOf = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => result.errors?.[0]?.extensions?.code;

describe.each(kinds)('moderation on %s', (kind) => {
  let server: TestServer;
  let admin: Account;
  let mod: Account;
  let member: Account;
  let bystander: Account;

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await signUp(server, 'first');
    mod = await signUp(server, 'second');
    member = await signUp(server, 'member');
    bystander = await signUp(server, 'bystander');
  });
  afterAll(async () => {
    await server.dispose();
  });

  const head = async () => (await server.logHead());
  const newThread = async (token = member.token) => (await server.ok(CREATE_THREAD, { title: 'A thread' }, token)).createThread.thread as { id: string; position: string };

  it('makes the first account of an empty store its ADMIN and everyone after a MEMBER', async () => {
    expect((await server.ok(ME, {}, admin.token)).me).toEqual({ id: admin.id, role: 'ADMIN', suspendedUntil: null });
    expect((await server.ok(ME, {}, mod.token)).me.role).toBe('MEMBER');
    expect((await server.ok(ROLE, { id: member.id })).node.role).toBe('MEMBER');
  });

  it('lets only an admin change roles (FORBIDDEN otherwise, writing nothing), and appends nothing when the role is already that', async () => {
    const before = await head();
    expect(codeOf(await server.gql(SET_ROLE, { u: mod.id, r: 'MODERATOR' }, member.token))).toBe('FORBIDDEN');
    expect(codeOf(await server.gql(SET_ROLE, { u: member.id, r: 'ADMIN' }, member.token))).toBe('FORBIDDEN');
    expect(codeOf(await server.gql(SET_ROLE, { u: mod.id, r: 'MODERATOR' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await server.gql(SET_ROLE, { u: '00000000-0000-4000-8000-000000000000', r: 'MODERATOR' }, admin.token))).toBe('NOT_FOUND');
    expect(codeOf(await server.gql(SET_ROLE, { u: mod.id, r: 'OWNER' }, admin.token))).toBe('BAD_USER_INPUT');
    expect(await head()).toBe(before);

    expect((await server.ok(SET_ROLE, { u: mod.id, r: 'MODERATOR' }, admin.token)).setUserRole).toEqual({ id: mod.id, role: 'MODERATOR' });
    const after = await head();
    expect(Number(after)).toBe(Number(before) + 1);
    expect((await server.ok(SET_ROLE, { u: mod.id, r: 'MODERATOR' }, admin.token)).setUserRole.role).toBe('MODERATOR');
    expect(await head()).toBe(after);
    // A moderator is not an admin.
    expect(codeOf(await server.gql(SET_ROLE, { u: member.id, r: 'MODERATOR' }, mod.token))).toBe('FORBIDDEN');
  });

  it('refuses to demote the last admin, and of two admins demoting each other at once lets exactly one through', async () => {
    expect(codeOf(await server.gql(SET_ROLE, { u: admin.id, r: 'MEMBER' }, admin.token))).toBe('FORBIDDEN');
    const second = await signUp(server, 'second_admin');
    await server.ok(SET_ROLE, { u: second.id, r: 'ADMIN' }, admin.token);
    const results = await Promise.all([server.gql(SET_ROLE, { u: second.id, r: 'MEMBER' }, admin.token), server.gql(SET_ROLE, { u: admin.id, r: 'MEMBER' }, second.token)]);
    const refused = results.filter((r) => r.errors);
    expect(refused.map(codeOf)).toEqual(['FORBIDDEN']);
    const roles = await Promise.all([admin.id, second.id].map(async (id) => (await server.ok(ROLE, { id })).node.role as string));
    expect(roles.filter((role) => role === 'ADMIN')).toHaveLength(1);
    // Put the first admin back in charge for what follows.
    if (roles[0] !== 'ADMIN') await server.ok(SET_ROLE, { u: admin.id, r: 'ADMIN' }, second.token);
  });

  it('locks a thread for moderators only: a locked thread refuses posts and renames with FORBIDDEN, and takes them again once unlocked', async () => {
    const thread = await newThread();
    expect(codeOf(await server.gql(LOCK, { t: thread.id, l: true }, member.token))).toBe('FORBIDDEN');
    expect(codeOf(await server.gql(LOCK, { t: '00000000-0000-4000-8000-000000000000', l: true }, mod.token))).toBe('NOT_FOUND');
    const locked = (await server.ok(LOCK, { t: thread.id, l: true }, mod.token)).lockThread;
    expect(locked).toMatchObject({ id: thread.id, locked: true });
    // Locking it again changes nothing and appends nothing.
    const before = await head();
    expect((await server.ok(LOCK, { t: thread.id, l: true }, admin.token)).lockThread.position).toBe(locked.position);
    expect(await head()).toBe(before);

    for (const token of [member.token, mod.token]) {
      const refused = await server.gql(POST, { t: thread.id, b: 'Anyone there?' }, token);
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.errors?.[0]?.message).toContain('locked');
    }
    expect(codeOf(await server.gql(RENAME, { t: thread.id, title: 'Renamed' }, member.token))).toBe('FORBIDDEN');
    expect(await head()).toBe(before);
    expect((await server.ok('query ($id: ID!) { thread(id: $id) { locked messageCount } }', { id: thread.id })).thread).toEqual({ locked: true, messageCount: 0 });

    const live = collect<{ threadEvents: { __typename: string; locked: boolean; thread: { locked: boolean } } }>(
      server.wsClient(member.token),
      'subscription ($t: ID!) { threadEvents(threadId: $t) { __typename ... on ThreadLockChanged { locked thread { locked } } } }',
      { t: thread.id },
      (items) => items.length >= 1,
    );
    // graphql-ws subscribes lazily: wait until the server counts it.
    await waitFor(async () => (await server.health()).subscriptions > 0, { what: 'the threadEvents subscription to be live' });
    expect((await server.ok(LOCK, { t: thread.id, l: false }, admin.token)).lockThread.locked).toBe(false);
    expect((await live.done)[0]!.threadEvents).toEqual({ __typename: 'ThreadLockChanged', locked: false, thread: { locked: false } });
    await server.ok(POST, { t: thread.id, b: 'Open again' }, member.token);
    expect((await server.ok(RENAME, { t: thread.id, title: 'Renamed' }, member.token)).renameThread.thread.title).toBe('Renamed');
  });

  it('suspends a member: every write of theirs is FORBIDDEN while reading works, only they and moderators see until when, and lifting it lets them write again', async () => {
    const thread = await newThread();
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect(codeOf(await server.gql(SUSPEND, { u: member.id, until }, bystander.token))).toBe('FORBIDDEN');
    expect((await server.ok(SUSPEND, { u: member.id, until }, mod.token)).suspendUser).toEqual({ id: member.id, suspendedUntil: until });

    const before = await head();
    const writes = [
      await server.gql(POST, { t: thread.id, b: 'Let me speak' }, member.token),
      await server.gql(CREATE_THREAD, { title: 'Elsewhere' }, member.token),
      await server.gql(RENAME, { t: thread.id, title: 'Mine' }, member.token),
    ];
    expect(writes.map(codeOf)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(writes[0]?.errors?.[0]?.message).toContain(until);
    expect(await head()).toBe(before);
    // Reading still works.
    expect((await server.ok('query ($id: ID!) { thread(id: $id) { id } }', { id: thread.id }, member.token)).thread.id).toBe(thread.id);

    expect((await server.ok(ME, {}, member.token)).me.suspendedUntil).toBe(until);
    expect((await server.ok(ROLE, { id: member.id }, mod.token)).node.suspendedUntil).toBe(until);
    expect((await server.ok(ROLE, { id: member.id }, bystander.token)).node.suspendedUntil).toBeNull();
    expect((await server.ok(ROLE, { id: member.id })).node.suspendedUntil).toBeNull();
    // Others write on.
    await server.ok(POST, { t: thread.id, b: 'Still here' }, bystander.token);

    const lifted = (await server.ok(SUSPEND, { u: member.id, until: new Date(Date.now() - 1000).toISOString() }, mod.token)).suspendUser;
    expect(lifted).toEqual({ id: member.id, suspendedUntil: null });
    await server.ok(POST, { t: thread.id, b: 'Back' }, member.token);
  });

  it('suspends until further notice when no end is given, and refuses moderators suspending themselves, each other or an admin', async () => {
    const suspended = (await server.ok(SUSPEND, { u: bystander.id }, admin.token)).suspendUser;
    expect(suspended.suspendedUntil).toBe(new Date(UNTIL_FURTHER_NOTICE).toISOString());
    expect(codeOf(await server.gql(CREATE_THREAD, { title: 'No' }, bystander.token))).toBe('FORBIDDEN');
    await server.ok(SUSPEND, { u: bystander.id, until: '2000-01-01T00:00:00.000Z' }, mod.token);
    await newThread(bystander.token);

    expect(codeOf(await server.gql(SUSPEND, { u: mod.id }, mod.token))).toBe('FORBIDDEN');
    expect(codeOf(await server.gql(SUSPEND, { u: admin.id }, mod.token))).toBe('FORBIDDEN');
    expect(codeOf(await server.gql(SUSPEND, { u: admin.id }, admin.token))).toBe('FORBIDDEN');
    expect(codeOf(await server.gql(SUSPEND, { u: member.id, until: 'tomorrow' }, mod.token))).toBe('BAD_USER_INPUT');
  });

  it('lists every moderation action in the log with its moderator as actor, through events(types:)', async () => {
    const start = await head();
    const thread = await newThread();
    await server.ok(LOCK, { t: thread.id, l: true }, mod.token);
    await server.ok(SUSPEND, { u: member.id, until: null }, mod.token);
    await server.ok(SUSPEND, { u: member.id, until: '2001-01-01T00:00:00.000Z' }, admin.token);
    await server.ok(SET_ROLE, { u: member.id, r: 'MODERATOR' }, admin.token);
    await server.ok(SET_ROLE, { u: member.id, r: 'MEMBER' }, admin.token);
    const events = (await server.ok(MODERATION_EVENTS, { after: start })).events as Array<Record<string, unknown>>;
    expect(events.map(({ position: _, correlationId: __, ...rest }) => rest)).toEqual([
      { __typename: 'ThreadLockChanged', actor: { username: 'second' }, thread: { id: thread.id }, locked: true },
      { __typename: 'UserSuspended', actor: { username: 'second' }, user: { username: 'member' }, until: null, lifted: false },
      { __typename: 'UserSuspended', actor: { username: 'first' }, user: { username: 'member' }, until: '2001-01-01T00:00:00.000Z', lifted: true },
      { __typename: 'UserRoleChanged', actor: { username: 'first' }, user: { username: 'member' }, role: 'MODERATOR', previousRole: 'MEMBER' },
      { __typename: 'UserRoleChanged', actor: { username: 'first' }, user: { username: 'member' }, role: 'MEMBER', previousRole: 'MODERATOR' },
    ]);
  });

  it('rebuilds the users and threads read models from the log to exactly the rows it maintained', async () => {
    const db = await openDatabase(server.database.url);
    try {
      const tables = [
        ['users', 'id'],
        ['threads', 'id'],
      ] as const;
      const live = await Promise.all(tables.map(([table, order]) => tableRows(db, table, order)));
      expect(live[0]!.some((row) => row.includes('role=ADMIN'))).toBe(true);
      expect(live[1]!.some((row) => row.includes('locked=1'))).toBe(true);
      await rebuildProjections(db, { projections: allProjections.filter((p) => p.name === 'users' || p.name === 'threads') });
      expect(await Promise.all(tables.map(([table, order]) => tableRows(db, table, order)))).toEqual(live);
    } finally {
      await db.close();
    }
  });
});

describe('moderation rate limit', () => {
  it('refuses a moderator past THRDS_RATE_MODERATION_PER_USER with RATE_LIMITED, writing nothing', async () => {
    const server = await startTestServer('sqlite', undefined, {
      protection: relaxedProtection({ rates: { ...relaxedProtection().rates, moderationPerUser: { points: 2, durationSeconds: 60 } } }),
    });
    try {
      const admin = await signUp(server, 'admin');
      const thread = (await server.ok(CREATE_THREAD, { title: 'Busy' }, admin.token)).createThread.thread as { id: string };
      await server.ok(LOCK, { t: thread.id, l: true }, admin.token);
      await server.ok(LOCK, { t: thread.id, l: false }, admin.token);
      const before = (await server.logHead());
      expect(codeOf(await server.gql(LOCK, { t: thread.id, l: true }, admin.token))).toBe('RATE_LIMITED');
      expect(codeOf(await server.gql(SUSPEND, { u: admin.id }, admin.token))).toBe('RATE_LIMITED');
      expect((await server.logHead())).toBe(before);
    } finally {
      await server.dispose();
    }
  });
});
