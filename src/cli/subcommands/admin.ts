/**
 * `thrds admin grant <username> <role>`: gives a user a role from the
 * command line, as a UserRoleChanged event in the log like any other: its
 * actor is nobody (metadata.actorId null) and its correlationId says the CLI
 * did it (`cli:admin-grant:<uuid>`). The way to name the first admin of a
 * store whose accounts all predate roles, or to recover one.
 */
import { randomUUID } from 'node:crypto';
import { migrate } from '../../db/migrate.ts';
import { ForbiddenError } from '../../errors.ts';
import { SqlEventStore } from '../../events/sqlEventStore.ts';
import { changeRole, parseRole, type Role, ROLES } from '../../modules/userRoleChanged.ts';
import { upcast } from '../../modules/index.ts';
import { ProjectionEngine } from '../../projections/projectionEngine.ts';
import { userByUsername } from '../../projections/usersQueries.ts';
import { type Command, wantsJson } from '../subcommand.ts';
import { CheckFailedError, ExitCode, UsageError } from '../exitCodes.ts';
import { openExisting, using } from '../openStore.ts';

const roleNames = ROLES.map((role) => role.toLowerCase()).join(', ');

function roleArgument(text: string): Role {
  const role = parseRole(text);
  if (!role) throw new UsageError(`ROLE must be one of ${roleNames} (got '${text}')`);
  return role;
}

export const adminCommand: Command = {
  name: 'admin',
  summary: 'give a user a role: thrds admin grant <username> <role> (names the first admin of an older store)',
  description: [
    'grant USERNAME ROLE gives the user that role (member, moderator or admin, any case) by appending',
    'UserRoleChanged to the log, with the CLI as its actor: no user (actorId null), and a correlationId',
    '`cli:admin-grant:<uuid>`. Nothing is appended when the user already has the role. The last admin',
    'cannot be demoted (make another admin first).',
    '',
    'The first account registered on an empty store is its admin. A store whose accounts were all',
    'registered before roles existed has none: name one with `thrds admin grant <username> admin`.',
    'Works on a running store; the server sees the change on the next request.',
  ].join('\n'),
  args: [
    { name: 'ACTION', description: 'grant (the only one)' },
    { name: 'USERNAME', description: 'the user to give the role to' },
    { name: 'ROLE', description: `${roleNames} (any case)` },
  ],
  flags: {},
  json: 'print one object: {"username","userId","previousRole","role","position"} (position null when nothing changed)',
  examples: [
    ['thrds admin grant alice admin', 'make alice an admin of the embedded store'],
    ['thrds admin grant bob MODERATOR --db mysql://thrds:secret@127.0.0.1:3306/thrds', 'make bob a moderator of a MariaDB store'],
  ],
  exitCodes: {
    1: 'refused, nothing written: no user USERNAME in the store, or demoting the last admin',
    2: 'bad usage: an ACTION other than grant, or a ROLE that is not one of member, moderator, admin',
  },
  async run(args) {
    const [action = '', username = '', roleText = ''] = args.positionals;
    if (action !== 'grant') throw new UsageError(`unknown action '${action}' (known: grant)`);
    const role = roleArgument(roleText);
    const db = await openExisting(args);
    const result = await using(db, async () => {
      await migrate(db);
      // The read models must stand at the head before a decision reads them; then the append writes them inline, as the server does.
      const projections = new ProjectionEngine(db);
      await projections.catchUp();
      const user = await userByUsername(db, username);
      if (!user) throw new CheckFailedError(`no user '${username}' in ${db.displayUrl}; nothing was written`);
      const store = new SqlEventStore(db, { upcast, hooks: [projections.inline] });
      try {
        const changed = await changeRole({ db, store }, { userId: user.id, role }, { cli: { correlationId: `cli:admin-grant:${randomUUID()}` } });
        return { user, ...changed };
      } catch (error) {
        if (error instanceof ForbiddenError) throw new CheckFailedError(`${error.message}; nothing was written`);
        throw error;
      } finally {
        await store.drain();
      }
    });
    const { user, previousRole, position } = result;
    if (wantsJson(args)) console.log(JSON.stringify({ username: user.username, userId: user.id, previousRole, role: result.role, position }));
    else if (position === null) console.log(`${user.username} is already ${role.toLowerCase()}; nothing was written`);
    else console.log(`${user.username}: ${previousRole.toLowerCase()} -> ${role.toLowerCase()} (UserRoleChanged at position ${position})`);
    return ExitCode.ok;
  },
};
