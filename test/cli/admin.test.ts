/**
 * `thrds admin grant` against a running server's store, on every store: the
 * real CLI appends UserRoleChanged with the CLI as actor, the server sees the
 * new role on its next request, and every refusal has its exit code and
 * writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { storeKinds } from '../support/databases.ts';
import { signUp, startTestServer, type TestServer } from '../support/server.ts';
import { runThrds } from './support/runThrds.ts';

const kinds = await storeKinds();

const EVENTS = `query ($after: Position) {
  events(after: $after, types: ["UserRoleChanged"]) { actor { id } correlationId ... on UserRoleChanged { user { username } role previousRole } }
}`;

describe.each(kinds)('thrds admin grant on %s', (kind) => {
  let server: TestServer;
  let bob: { token: string; id: string };
  const grant = (...args: string[]) => runThrds(['admin', 'grant', ...args, '--db', server.database.url]);
  let db: Database;
  // The log's head as the store has it: the server's own (its feed) learns of the CLI's appends only at its next poll.
  const head = async () => String((await db.query<{ position: number | string }>('SELECT position FROM log_head WHERE id = 1'))[0]!.position);
  const roleOf = async (id: string) => (await server.ok('query ($id: ID!) { node(id: $id) { ... on User { role } } }', { id })).node.role as string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    db = await openDatabase(server.database.url);
    await signUp(server, 'alice');
    bob = await signUp(server, 'bob');
  });
  afterAll(async () => {
    await db.close();
    await server.dispose();
  });

  it('gives a user a role (any case) as a UserRoleChanged with no actor and a cli: correlation id, seen by the running server at once', async () => {
    const before = await head();
    const run = await grant('bob', 'Moderator');
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(`bob: member -> moderator (UserRoleChanged at position ${Number(before) + 1})`);
    expect(run.code).toBe(0);
    expect(await roleOf(bob.id)).toBe('MODERATOR');
    const [event] = (await server.ok(EVENTS, { after: before })).events;
    expect(event).toEqual({ actor: null, correlationId: expect.stringMatching(/^cli:admin-grant:[0-9a-f-]{36}$/), user: { username: 'bob' }, role: 'MODERATOR', previousRole: 'MEMBER' });
  });

  it('writes nothing when the user already has the role, and says so (also as JSON)', async () => {
    await grant('bob', 'admin');
    const before = await head();
    const run = await grant('bob', 'ADMIN', '--json');
    expect(JSON.parse(run.stdout)).toEqual({ username: 'bob', userId: bob.id, previousRole: 'ADMIN', role: 'ADMIN', position: null });
    expect(run.code).toBe(0);
    expect(await head()).toBe(before);
    expect((await grant('bob', 'admin')).stdout.trim()).toBe('bob is already admin; nothing was written');
  });

  it('refuses an unknown user and demoting the last admin with exit 1, and writes nothing', async () => {
    const before = await head();
    const unknown = await grant('nobody', 'admin');
    expect(unknown.stderr.trim()).toMatch(/^thrds admin: no user 'nobody' in .*; nothing was written$/);
    expect(unknown.code).toBe(1);
    await grant('alice', 'member');
    const last = await grant('bob', 'member');
    expect(last.stderr).toContain('last admin');
    expect(last.code).toBe(1);
    expect(await roleOf(bob.id)).toBe('ADMIN');
    // alice's demotion went through (bob was an admin too); nothing else was written.
    expect(Number(await head())).toBe(Number(before) + 1);
  });

  it('refuses a bad role, an unknown action and missing arguments with exit 2, and a store that is not there with exit 3', async () => {
    const badRole = await grant('bob', 'owner');
    expect(badRole.stderr).toContain("ROLE must be one of member, moderator, admin (got 'owner')");
    expect(badRole.code).toBe(2);
    const badAction = await runThrds(['admin', 'revoke', 'bob', 'admin', '--db', server.database.url]);
    expect(badAction.stderr).toContain("unknown action 'revoke' (known: grant)");
    expect(badAction.code).toBe(2);
    expect((await runThrds(['admin', 'grant', 'bob', '--db', server.database.url])).code).toBe(2);
    const missing = await runThrds(['admin', 'grant', 'bob', 'admin', '--db', `${server.database.url}-missing`]);
    expect(missing.code).toBe(3);
  });

  it('says in its help how an older store, with no admin, gets one', async () => {
    const help = await runThrds(['help', 'admin']);
    expect(help.stdout).toContain('usage: thrds admin [options] ACTION USERNAME ROLE');
    expect(help.stdout).toContain('thrds admin grant <username> admin');
    expect(help.code).toBe(0);
    expect((await runThrds(['--help'])).stdout).toMatch(/\n {2}admin +give a user a role/);
  });
});
