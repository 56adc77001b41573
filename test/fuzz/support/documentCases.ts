/**
 * GraphQL fuzz cases: random and mutated requests over HTTP POST (JSON and
 * other media types), GET, SSE and WebSocket. Deep nesting (to 3,000), wide
 * selections, many aliases (of `__typename`, `__schema`, `thread(asOf)`,
 * `messages(last: 500)`), fragment cycles and fan-outs, directives, broken
 * syntax, huge and wrongly typed variables, 40,000-element lists, huge
 * strings, unknown fields, and mutations whose input is invalid (lone
 * surrogates, NUL, control and bidi characters, nothing visible, too long),
 * search queries no parser should choke on, and multipart upload requests
 * that can never store a file (bad alt text, maps to missing parts, another
 * operation, a batch, broken framing, no CSRF header)
 * so that nothing valid can be written. `%THREAD%`, `%MESSAGE%` and
 * `%POSITION%` stand for a seeded thread, one of its messages and the log
 * head; `auth` cases carry the seeded user's token.
 */
import { createRandom, type Random } from './random.ts';
import { mutateText, NASTY } from './textMutations.ts';

export type Transport = 'post' | 'get' | 'sse' | 'ws';

export interface DocumentCase {
  readonly index: number;
  readonly kind: string;
  readonly transport: Transport;
  /** The JSON body (or GET parameters); `raw` replaces it when set. */
  readonly request: { readonly query?: unknown; readonly variables?: unknown; readonly operationName?: unknown; readonly extensions?: unknown };
  /** A POST body sent as is (malformed JSON, another media type). */
  readonly raw?: string;
  /** A GET query string sent as is (parameters that are not JSON where JSON is expected). */
  readonly rawGet?: string;
  readonly contentType?: string;
  /** Send the seeded user's token (only with inputs that cannot be valid). */
  readonly auth: boolean;
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

const FIELDS_OF_MESSAGE = 'id body postedAt format position author { id displayName } replyTo { id body }';
const THREAD_BODY = `id title messageCount position createdBy { username } messages(last: 500) { edges { cursor node { ${FIELDS_OF_MESSAGE} } } pageInfo { hasPreviousPage startCursor } }`;
const ALIASABLE = [
  '__typename',
  '__schema { types { name kind fields { name args { name type { name } } type { name kind ofType { name } } } } }',
  '__type(name: "Query") { name fields { name } }',
  `thread(id: "%THREAD%") { ${THREAD_BODY} }`,
  `thread(id: "%THREAD%", asOf: "%POSITION%") { ${THREAD_BODY} }`,
  `threads(first: 100) { edges { node { ${THREAD_BODY} } } }`,
  'events(first: 1000) { position type data correlationId hash actor { username } }',
  'me { id }',
  'threads { edges { node { id } } }',
  'online { people connections users(first: 200) { username } }',
  'thread(id: "%THREAD%") { online { people users { id } } unreadCount unreadMentionCount lastReadPosition }',
  'unreadThreads',
  'bots { id username isBot botProfile { description tags creatorNotes greeting } }',
  'thread(id: "%THREAD%") { bots { id username } createdBy { isBot botProfile { tags } } }',
  'mentions(first: 100) { edges { node { id mentions { username } } } }',
  'search(query: "hello world*") { edges { cursor node { snippet score message { id body format attachments { id url thumbnailUrl name } thread { title } } } } pageInfo { hasNextPage endCursor } }',
  'search(query: "\\"quoted phrase\\" from:nobody in:nowhere -not", first: 100) { nodes { snippet } }',
  `thread(id: "%THREAD%") { messages(last: 500) { edges { node { format attachments { id contentType byteSize name alt width height url thumbnailUrl } } } } }`,
];

/** Text that must be refused: always at least one thing no rule may accept. */
/** Text that is not one emoji or a known :shortcode:. */
function invalidEmoji(random: Random): string {
  return random.pick(['', 'a', ':not_a_shortcode:', '👍👍', '☺', '\u0000', '\ud83d', '👍 x', 'x'.repeat(random.size(300_000)), ':thumbsup', '1', '©', '\u200d']);
}

function invalidText(random: Random, field: 'title' | 'body' | 'displayName'): string {
  const filler = random.pick(['', 'hello', 'Lunch?', 'é😀', 'a'.repeat(random.size(3000))]);
  const poison = random.pick([
    '\u0000',
    '\u0001',
    '\u0007',
    '\u001b',
    '\u007f',
    '\u0085',
    '\u009b',
    '\ud800',
    '\udfff',
    '\ud83d',
    ...(field === 'body' ? [] : ['\u202e', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\n']),
  ]);
  switch (random.int(0, 5)) {
    case 0:
      return filler + poison + filler;
    case 1:
      return poison.repeat(random.size(1000));
    case 2: // nothing visible
      return random.pick(['', ' ', '\u200b', '\u200b\u200c\u200d', '\u2060', '\ufeff', '\u3000', '\u00ad', '\u180e']).repeat(random.int(1, 50));
    case 3: // too long
      return 'x'.repeat(field === 'body' ? 4001 + random.size(100_000) : field === 'title' ? 201 + random.size(1000) : 65 + random.size(1000));
    case 4:
      return `${poison}${filler}`;
    default:
      return `${filler}${poison}`;
  }
}

function invalidUsername(random: Random): string {
  return random.pick(['', 'ab', 'A_upper', 'has space', 'dash-ed', 'x'.repeat(33 + random.size(2000)), 'évé', 'nul\u0000', 'sur\ud800', 'bidi\u202e', '__proto__!', 'a'.repeat(random.size(300_000)) + '!']);
}

function nestedSelection(random: Random, depth: number): string {
  switch (random.int(0, 4)) {
    case 0:
      return `${'{ a '.repeat(depth)}${'}'.repeat(depth)}`;
    case 1: {
      // A valid cycle: thread → messages → node → thread → …
      const open = 'messages(last: 1) { edges { node { thread { ';
      return `{ thread(id: "%THREAD%") { ${open.repeat(depth)}id${' } } } }'.repeat(depth)} } }`;
    }
    case 2:
      return `{ thread(id: "%THREAD%") { messages { edges { node { ${'replyTo { '.repeat(depth)}id${' }'.repeat(depth)} } } } } }`;
    case 3:
      return `{ ${'... on Query { '.repeat(depth)}__typename${' }'.repeat(depth)} }`;
    default:
      return `{ threads(first: ${'['.repeat(depth)}1${']'.repeat(depth)}) { edges { node { id } } } }`;
  }
}

function aliases(random: Random): string {
  const n = random.chance(0.2) ? random.pick([150, 1000, 3000]) : random.size(3000);
  const same = random.chance(0.5) ? random.pick(ALIASABLE) : undefined;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`a${i}: ${same ?? random.pick(ALIASABLE)}`);
  return `{ ${parts.join(' ')} }`;
}

function fragments(random: Random): string {
  switch (random.int(0, 4)) {
    case 0:
      return '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }';
    case 1:
      return '{ ...A } fragment A on Query { __typename ...A }';
    case 2: {
      // Each fragment spreads the one before twice: 2^k fields after inlining.
      const k = random.int(5, 40);
      const defs = [`fragment F0 on Query { threads { edges { node { id title } } } __typename }`];
      for (let i = 1; i <= k; i++) defs.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} a${i}: __typename }`);
      return `{ ...F${k} } ${defs.join(' ')}`;
    }
    case 3:
      return `{ ...X } fragment X on Thread { id } fragment Y on Nope { id } fragment Z on Query { ...Missing }`;
    default: {
      const n = random.size(5000);
      const defs = Array.from({ length: n }, (_, i) => `fragment G${i} on Query { g${i}: __typename }`);
      return `{ ${Array.from({ length: n }, (_, i) => `...G${i}`).join(' ')} } ${defs.join(' ')}`;
    }
  }
}

function directives(random: Random): string {
  const n = random.size(3000);
  const directive = random.pick(['@include(if: true)', '@skip(if: false)', '@unknown', '@deprecated', '@skip', '@include(if: "yes")', '@skip(if: $nope)', '@specifiedBy(url: "x")']);
  return random.chance(0.5) ? `{ __typename ${directive.repeat(n)} }` : `query Q ${directive.repeat(Math.min(n, 500))} { threads ${directive.repeat(Math.min(n, 500))} { edges { node { id } } } }`;
}

function malformed(random: Random): { query: unknown } {
  switch (random.int(0, 4)) {
    case 0:
      return { query: mutateText(random, random.pick([...ALIASABLE.map((f) => `{ ${f} }`), 'query Q($a: Int) { threads(first: $a) { edges { node { id } } } }', 'mutation { logout }', 'subscription { events { position } }'])) };
    case 1: {
      const tokens = ['{', '}', '(', ')', '[', ']', ':', '$', '@', '...', '!', '=', '|', '&', 'query', 'mutation', 'subscription', 'fragment', 'on', 'thread', 'id', '"s"', '"""b"""', '1', '1.5e9', 'true', 'null', '__typename', '#c\n', ','];
      return { query: Array.from({ length: random.size(2000) }, () => random.pick(tokens)).join(' ') };
    }
    case 2:
      return { query: random.pick<unknown>([null, 42, true, [], {}, ['{ __typename }'], '', ' ', '\u0000', '{', '}', '"""', '"\\u', '{ __typename }'.repeat(10)]) };
    case 3:
      return { query: random.bytes(random.size(5000)).toString('latin1') };
    default:
      return { query: `{ thread(id: "${random.pick(NASTY).repeat(random.size(100))}") { id } }` };
  }
}

function hugeString(random: Random): string {
  const size = random.pick([10_000, 100_000, 500_000, 900_000]);
  const unit = random.pick(['a', '\\u0000', '\\ud800', '😀', '\\"', 'é']);
  const text = unit.repeat(Math.ceil(size / unit.length));
  return random.pick([
    `{ thread(id: "${text}") { id } }`,
    `{ threads(after: "${text}") { edges { node { id } } } }`,
    `mutation { login(input: { username: "nobody_here", password: "${text}" }) { token } }`,
    `{ thread(id: """${text}""") { id } }`,
    `# ${text}\n{ __typename }`,
  ]);
}

function variables(random: Random): { query: string; variables: unknown } {
  const list40k = () => Array.from({ length: 40_000 }, (_, i) => random.pick(['MessagePosted', 'ThreadCreated', `T${i}`, '\ud800', '']));
  switch (random.int(0, 8)) {
    case 7:
      // node / nodes: ids of every wrong kind and size, lists past the cap.
      return random.chance(0.5)
        ? { query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Thread { title } } }', variables: { ids: Array.from({ length: random.pick([1, 50, 51, 40_000]) }, (_, i) => random.pick<unknown>(['%THREAD%', '%MESSAGE%', 'not-a-uuid', '\ud800', i < 10 ? 'x'.repeat(random.size(100_000)) : 'x', 42, null])) } }
        : { query: 'query ($id: ID!) { node(id: $id) { id __typename } }', variables: { id: random.pick<unknown>(['%THREAD%', 'not-a-uuid', '', '\u0000', 'x'.repeat(random.size(500_000)), [], {}, 1.5]) } };
    case 8:
      // Relay cursors together: first and last, after and before, in every mix of valid and not.
      return {
        query: 'query ($f: Int, $l: Int, $a: String, $b: String) { thread(id: "%THREAD%") { messages(first: $f, last: $l, after: $a, before: $b) { edges { cursor } pageInfo { hasNextPage hasPreviousPage } } } }',
        variables: {
          f: random.pick<unknown>([undefined, 0, 1, 500, 501, -1, 2 ** 31]),
          l: random.pick<unknown>([undefined, 0, 1, 500, 501, -1]),
          a: random.pick<unknown>([undefined, 'garbage', 'MTIz', '', 'x'.repeat(random.size(100_000))]),
          b: random.pick<unknown>([undefined, 'eyJ9', '%%%', 'MQ==']),
        },
      };
    case 0:
      return { query: 'query ($t: [String!]) { events(types: $t, first: 10) { position } }', variables: { t: random.chance(0.5) ? list40k() : Array.from({ length: random.size(40_000) }, () => 'x'.repeat(random.size(100))) } };
    case 1:
      return { query: 'query ($f: Int) { threads(first: $f) { edges { node { id } } } }', variables: { f: random.pick<unknown>(['x', 2 ** 53, 1e308, -1, 3.5, 0, 2 ** 31, -(2 ** 31) - 1, null, [], {}, true, '1'.repeat(random.size(100_000))]) } };
    case 2:
      return { query: 'query ($id: ID!) { thread(id: $id) { id } }', variables: { id: random.pick<unknown>([{}, [], null, 1.5, true, 'not-a-uuid', '\ud800', 'x'.repeat(random.size(500_000)), nest(random.int(1, 3000))]) } };
    case 3:
      return { query: 'query ($p: Position) { events(after: $p) { position } }', variables: { p: random.pick<unknown>(['-1', 'abc', '99999999999999999999999', '1e3', '0x10', ' 1', 1.5, -5, 2 ** 60, null, '']) } };
    case 4:
      return { query: '{ __typename }', variables: random.pick<unknown>(['x', 42, [], null, nest(random.int(1, 3000)), Object.fromEntries(Array.from({ length: random.size(50_000) }, (_, i) => [`v${i}`, i]))]) };
    case 5:
      return { query: `query ($t: [String!]) { events(types: [${Array.from({ length: random.pick([1000, 40_000]) }, () => '"MessagePosted"').join(',')}], first: 5) { position } }`, variables: { t: null } };
    default:
      return { query: 'query ($a: String, $b: String) { threads(after: $a) { edges { node { messages(before: $b) { edges { node { id } } } } } } }', variables: { a: random.pick(['garbage', 'MTIz', '', '\u0000', 'x'.repeat(random.size(100_000))]), b: random.pick(['-1', 'eyJ9', '%%%']) } };
  }
}

/** Nested JSON as text (JSON.stringify of so deep a value could overflow this process's own stack). */
function deepJson(depth: number): string {
  return `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
}

function nest(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Mutations sent without a token: refused (UNAUTHENTICATED) or invalid, never written. */
function anonymousMutation(random: Random): { query: string; variables: unknown } {
  switch (random.int(0, 8)) {
    case 5:
      return { query: 'mutation ($i: RenameThreadInput!) { renameThread(input: $i) { position } }', variables: { i: { threadId: '%THREAD%', title: random.chance(0.5) ? 'Renamed' : invalidText(random, 'title') } } };
    case 6:
      return {
        query: random.pick([
          'mutation ($m: ID!) { addReaction(input: { messageId: $m, emoji: "👍" }) { position } }',
          'mutation ($m: ID!) { removeReaction(input: { messageId: $m, emoji: "👍" }) { position } }',
          'mutation ($m: ID!) { editMessage(input: { messageId: $m, body: "edited" }) { position } }',
          'mutation ($m: ID!) { deleteMessage(input: { messageId: $m }) { position } }',
        ]),
        variables: { m: '%MESSAGE%' },
      };
    case 7:
      return {
        query: random.pick([
          'mutation ($t: ID!) { lockThread(input: { threadId: $t, locked: true }) { locked } }',
          'mutation ($u: ID!) { setUserRole(input: { userId: $u, role: ADMIN }) { role } }',
          'mutation ($u: ID!) { suspendUser(input: { userId: $u }) { id } }',
          'mutation ($t: ID!) { setTyping(input: { threadId: $t, typing: true }) }',
          'mutation ($t: ID!) { markRead(input: { threadId: $t, position: "1" }) { unreadCount } }',
          'mutation ($t: ID!, $u: ID!) { inviteBot(input: { threadId: $t, botId: $u }) { bots { id } } }',
          'mutation ($t: ID!, $u: ID!) { removeBot(input: { threadId: $t, botId: $u }) { bots { id } } }',
          'mutation ($u: ID!) { setAvatar(input: { attachmentId: $u }) { avatarUrl } }',
          'mutation { clearAvatar { avatarUrl } }',
        ]),
        variables: { t: '%THREAD%', u: '00000000-0000-4000-8000-000000000000' },
      };
    case 8:
      return { query: 'mutation { addReaction(input: { messageId: 7, emoji: null }) { position } }', variables: {} };
    case 0:
      return { query: 'mutation ($i: CreateThreadInput!) { createThread(input: $i) { position thread { id } } }', variables: { i: { title: random.chance(0.5) ? 'Lunch?' : invalidText(random, 'title') } } };
    case 1:
      return { query: 'mutation ($i: PostMessageInput!) { postMessage(input: $i) { position } }', variables: { i: { threadId: '%THREAD%', body: random.chance(0.5) ? 'hi' : invalidText(random, 'body') } } };
    case 2:
      return {
        query: 'mutation ($i: RegisterInput!) { register(input: $i) { token } }',
        variables: { i: { username: invalidUsername(random), password: random.pick(['short', 'correct horse', 'p'.repeat(random.size(300_000)), '\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800']), displayName: random.chance(0.5) ? 'Ana' : invalidText(random, 'displayName') } },
      };
    case 3:
      return { query: 'mutation ($i: LoginInput!) { login(input: $i) { token } }', variables: { i: { username: random.pick(['nobody_here', invalidUsername(random)]), password: random.pick(['wrong password', 'p'.repeat(random.size(300_000)), '\u0000']) } } };
    default:
      return { query: random.pick(['mutation { logout }', 'mutation { logoutEverywhere }', 'mutation { changePassword(input: { currentPassword: "x", newPassword: "correct horse" }) }', 'mutation { createThread(input: {}) { position } }', 'mutation { postMessage(input: { threadId: 1, body: 2 }) { position } }', 'mutation { register(input: { username: null }) { token } }']), variables: {} };
  }
}

/** Mutations sent with the seeded user's token whose input no rule may accept. */
function invalidMutation(random: Random): { query: string; variables: unknown } {
  const key = random.chance(0.7) ? null : random.pick(['k'.repeat(129 + random.size(10_000)), 'has space', '\u0000', '']);
  switch (random.int(0, 13)) {
    case 7:
      return {
        query: random.pick(['mutation ($i: AddReactionInput!) { addReaction(input: $i) { position } }', 'mutation ($i: RemoveReactionInput!) { removeReaction(input: $i) { position } }']),
        variables: { i: { messageId: random.pick(['%MESSAGE%', '00000000-0000-4000-8000-000000000000', 'not-a-uuid']), emoji: invalidEmoji(random) } },
      };
    case 8:
      // The seeded user wrote the seeded message: only a body no rule accepts, so nothing is edited.
      return { query: 'mutation ($i: EditMessageInput!) { editMessage(input: $i) { position } }', variables: { i: { messageId: '%MESSAGE%', body: invalidText(random, 'body'), ...(key === null ? {} : { idempotencyKey: key }) } } };
    case 9:
      // A reason no rule accepts is refused before the message is looked at: nothing is deleted.
      return {
        query: 'mutation ($i: DeleteMessageInput!) { deleteMessage(input: $i) { position } }',
        variables: { i: { messageId: '%MESSAGE%', reason: random.pick(['\u0000', '\u202e', 'r'.repeat(501 + random.size(300_000)), '\ud800', 'one\ntwo']) } },
      };
    case 10:
      return { query: 'mutation ($i: DeleteMessageInput!) { deleteMessage(input: $i) { position } }', variables: { i: { messageId: random.pick(['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '%THREAD%', '\ud800']) } } };
    case 11:
      return {
        query: random.pick([
          'mutation ($i: LockThreadInput!) { lockThread(input: $i) { locked } }',
          'mutation ($i: SuspendUserInput!) { suspendUser(input: $i) { id } }',
          'mutation ($i: SetUserRoleInput!) { setUserRole(input: $i) { role } }',
        ]),
        variables: { i: { threadId: random.pick(['00000000-0000-4000-8000-000000000000', 'not-a-uuid']), userId: random.pick(['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '%THREAD%']), locked: true, role: 'MODERATOR', until: random.pick([null, 'tomorrow', '2999-01-01T00:00:00Z']) } },
      };
    case 12:
      if (random.chance(0.5)) {
        // An unknown or malformed thread, or a position beyond the log's head: no marker moves, nobody is shown typing.
        return random.chance(0.5)
          ? { query: 'mutation ($i: SetTypingInput!) { setTyping(input: $i) }', variables: { i: { threadId: random.pick(['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '%MESSAGE%']), typing: random.pick([true, false, 'yes', null]) } } }
          : { query: 'mutation ($i: MarkReadInput!) { markRead(input: $i) { unreadCount } }', variables: { i: { threadId: random.pick(['%THREAD%', '00000000-0000-4000-8000-000000000000', 'not-a-uuid']), position: random.pick(['999999999', '-1', '1.5', 'x', '99999999999999999999999']) } } };
      }
      if (random.chance(0.3)) {
        // No bot has this id (the fuzz store has no bots), or it is no id at all: nobody is invited or removed.
        return {
          query: random.pick(['mutation ($i: InviteBotInput!) { inviteBot(input: $i) { bots { id } } }', 'mutation ($i: RemoveBotInput!) { removeBot(input: $i) { bots { id } } }']),
          variables: { i: { threadId: random.pick(['%THREAD%', '00000000-0000-4000-8000-000000000000', 'not-a-uuid', 7]), botId: random.pick(['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '%MESSAGE%', '%THREAD%', null, 'x'.repeat(random.size(100_000))]) } },
        };
      }
      return { query: 'mutation ($i: SetUserRoleInput!) { setUserRole(input: $i) { role } }', variables: { i: { userId: '00000000-0000-4000-8000-000000000000', role: random.pick(['OWNER', 'admin', '', 7]) } } };
    case 5:
      // The seeded user created the seeded thread: only a title no rule accepts, so nothing is renamed.
      return { query: 'mutation ($i: RenameThreadInput!) { renameThread(input: $i) { position } }', variables: { i: { threadId: '%THREAD%', title: invalidText(random, 'title'), ...(key === null ? {} : { idempotencyKey: key }) } } };
    case 6:
      return { query: 'mutation ($i: RenameThreadInput!) { renameThread(input: $i) { position } }', variables: { i: { threadId: random.pick(['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '%MESSAGE%']), title: 'A fine title' } } };
    case 0:
      return { query: 'mutation ($i: CreateThreadInput!) { createThread(input: $i) { position } }', variables: { i: { title: invalidText(random, 'title'), ...(key === null ? {} : { idempotencyKey: key }) } } };
    case 4:
      // A new password no rule accepts is refused before the current one is checked: the session and the password stay.
      return { query: 'mutation ($i: ChangePasswordInput!) { changePassword(input: $i) }', variables: { i: { currentPassword: 'whatever it is', newPassword: random.pick(['short', 'p'.repeat(1025 + random.size(300_000)), '\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800']) } } };
    case 1:
      return { query: 'mutation ($i: PostMessageInput!) { postMessage(input: $i) { position } }', variables: { i: { threadId: '%THREAD%', body: invalidText(random, 'body'), ...(key === null ? {} : { idempotencyKey: key }) } } };
    case 2:
      return { query: 'mutation ($i: PostMessageInput!) { postMessage(input: $i) { position } }', variables: { i: { threadId: random.pick(['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '%THREAD%x']), body: random.chance(0.5) ? 'hello' : invalidText(random, 'body') } } };
    case 13: {
      // Attachments that cannot be posted (none is an upload of the seeded user's), or a format that is not one.
      const ids = random.pick<unknown>([
        Array.from({ length: 11 + random.size(5000) }, () => '00000000-0000-4000-8000-000000000000'),
        ['00000000-0000-4000-8000-000000000000'],
        ['%MESSAGE%', '%MESSAGE%'],
        ['not-a-uuid'],
        '%THREAD%',
        [null],
      ]);
      return random.chance(0.5)
        ? { query: 'mutation ($i: PostMessageInput!) { postMessage(input: $i) { position } }', variables: { i: { threadId: '%THREAD%', body: random.pick(['', 'look', ':tada:']), attachmentIds: ids } } }
        : { query: 'mutation ($i: PostMessageInput!) { postMessage(input: $i) { position } }', variables: { i: { threadId: '%THREAD%', body: invalidText(random, 'body'), format: random.pick<unknown>(['MARKDOWN', 'PLAIN', 'HTML', 'markdown', '', 1, null]) } } };
    }
    default:
      return { query: 'mutation ($i: PostMessageInput!) { postMessage(input: $i) { position } }', variables: { i: { threadId: '%THREAD%', body: 'a reply', replyToId: random.pick(['00000000-0000-4000-8000-000000000000', 'nope', '\ud800']) } } };
  }
}

function subscription(random: Random): string {
  return random.pick([
    'subscription { events(after: "0") { position type ... on MessagePosted { message { body author { username } } } } }',
    'subscription { events { position } }',
    'subscription { threadEvents(threadId: "%THREAD%", after: "0") { ... on MessagePosted { position message { body } } } }',
    'subscription { threadEvents(threadId: "nope") { __typename } }',
    'subscription { threadEvents(threadId: "%THREAD%") { __typename ... on BotDraft { text ended replyToId bot { username isBot botProfile { tags } } } ... on BotInvited { bot { id } } } }',
    'subscription { events { position } threadEvents(threadId: "%THREAD%") { __typename } }',
    'subscription { __typename }',
    'subscription { presence { people connections users(first: 200) { username } } }',
    'subscription { presence(threadId: "%THREAD%") { people } }',
    'subscription { presence(threadId: "00000000-0000-4000-8000-000000000000") { people } }',
    'subscription { presence(threadId: "nope") { users(first: 100000) { id } } }',
    'subscription { typing(threadId: "%THREAD%") { threadId users { username } } }',
    'subscription { typing(threadId: "nope") { threadId } }',
    'subscription { myThreads { reason position thread { id unreadCount } } }',
    `subscription { ${Array.from({ length: random.size(200) }, (_, i) => `e${i}: events(after: "0") { position }`).join(' ')} }`,
  ]);
}

type Generated = { kind: string; request: DocumentCase['request']; raw?: string; rawGet?: string; contentType?: string; auth?: boolean };

const KINDS: Array<[weight: number, make: (random: Random) => Generated]> = [
  [8, (r) => ({ kind: 'deep', request: { query: nestedSelection(r, r.chance(0.3) ? 3000 : r.size(3000)) } })],
  [6, (r) => ({ kind: 'wide', request: { query: `{ ${Array.from({ length: r.size(20_000) }, (_, i) => r.pick(['__typename', `f${i}`, 'threads { edges { node { id } } }', 'me { id }'])).join(' ')} }` } })],
  [12, (r) => ({ kind: 'aliases', request: { query: aliases(r) } })],
  [7, (r) => ({ kind: 'fragments', request: { query: fragments(r) } })],
  [5, (r) => ({ kind: 'directives', request: { query: directives(r) } })],
  [12, (r) => ({ kind: 'malformed', request: malformed(r) })],
  [12, (r) => ({ kind: 'variables', request: variables(r) })],
  [4, (r) => ({ kind: 'huge string', request: { query: hugeString(r) } })],
  [4, (r) => ({ kind: 'unknown fields', request: { query: `{ ${r.pick(['nope', 'thread(nope: 1) { id }', 'thread(id: "%THREAD%") { nope }', '__schema { nope }', 'threads { edges { node { messages(last: "x") { nope } } } }'])} }`, operationName: r.pick<unknown>([undefined, 'Nope', 42, null]) } })],
  [9, (r) => ({ kind: 'anonymous mutation', request: anonymousMutation(r) })],
  [10, (r) => ({ kind: 'invalid mutation', request: invalidMutation(r), auth: true })],
  [6, (r) => ({ kind: 'subscription', request: { query: subscription(r) } })],
  [5, (r) => {
    const body = JSON.stringify({ query: '{ __typename }' });
    return {
      kind: 'malformed body',
      request: {},
      raw: r.pick([mutateText(r, body), '', 'null', '[]', '[{"query":"{ __typename }"}]', '{"query":', body.repeat(r.size(1000)), `{"query":"{ __typename }","extensions":${deepJson(r.int(1, 5000))}}`, '\u0000']),
      contentType: r.pick(['application/json', 'application/json; charset=utf-16', 'application/graphql-response+json']),
    };
  }],
  [3, (r) => ({
    kind: 'other media type',
    request: {},
    raw: r.pick(['query=%7B__typename%7D', 'query=mutation%7Blogout%7D', '{ __typename }', 'mutation { logout }', '--b\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ __typename }\r\n--b--']),
    contentType: r.pick(['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=b', 'application/graphql', 'application/xml', '']),
  })],
  [3, (r) => ({
    kind: 'search query',
    request: {
      query: 'query ($q: String!, $first: Int, $after: String) { search(query: $q, first: $first, after: $after) { edges { cursor node { snippet score } } pageInfo { endCursor } } }',
      variables: {
        q: r.chance(0.5) ? mutateText(r, r.pick(['"lantern festival" harb* -draft from:ada in:"Q3 notes"', 'from: in: -', '***', '"'])) : r.pick([...NASTY, 'x'.repeat(r.size(10_000))]),
        first: r.pick<unknown>([undefined, 0, 50, 51, -1, 2 ** 31]),
        after: r.pick<unknown>([undefined, 'czoxOjE6MQ', 'not a cursor', '', 'x'.repeat(r.size(1000))]),
      },
    },
  })],
  [4, (r) => ({ kind: 'multipart upload', request: {}, ...multipartUpload(r), auth: true })],
  [3, (r) => {
    const query = `query=${encodeURIComponent(r.pick(['{ __typename }', 'query Q($a: Int) { threads(first: $a) { edges { node { id } } } }', 'subscription { events { position } }']))}`;
    const extra = r.pick(['variables=x', 'variables=%7B', 'variables=null', 'variables=%5B1%5D', 'extensions=x', 'extensions=%7B%22persistedQuery%22%3A1%7D', 'operationName=%5B%5D', 'query=%7B__typename%7D', 'variables=%7B%22a%22%3A%22x%22%7D', '%ZZ=1', 'variables=%00']);
    return { kind: 'malformed GET parameters', request: {}, rawGet: r.chance(0.5) ? `${query}&${extra}` : `${extra}&${query}` };
  }],
];

/**
 * A multipart request (the upload door) that can never store a file: the
 * alt text no rule accepts, a map to a part that is not there, a file given
 * inline, another operation than uploadAttachment, broken framing, or no
 * CSRF header.
 */
function multipartUpload(random: Random): Pick<DocumentCase, 'raw' | 'contentType' | 'extraHeaders'> {
  const upload = 'mutation ($f: File!, $alt: String) { uploadAttachment(file: $f, alt: $alt) { id url } }';
  const operations = random.pick<unknown>([
    { query: upload, variables: { f: null, alt: random.pick(['\u0000', 'two\nlines', '\u202e', 'a'.repeat(1001 + random.size(5000))]) } },
    { query: 'mutation { logout }', variables: {} },
    { query: '{ __typename }', variables: { f: null } },
    { query: upload, variables: { f: 'inline text, not a part' } },
    [{ query: upload, variables: { f: null } }, { query: upload, variables: { f: null } }],
  ]);
  const map = random.pick<unknown>([{ 0: ['variables.f'] }, { 9: ['variables.f'] }, { 0: ['variables.nope.deep'] }, { 0: 'variables.f' }, [], null]);
  const part = (name: string, value: string, file = false) =>
    `--b\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="x.png"\r\nContent-Type: image/png' : ''}\r\n\r\n${value}\r\n`;
  const file = random.pick(['\x89PNG\r\n\x1a\n' + 'x'.repeat(random.size(2000)), '<html><script>alert(1)</script></html>', '']);
  let body = part('operations', JSON.stringify(operations)) + part('map', JSON.stringify(map)) + (random.chance(0.7) ? part('0', file, true) : '');
  body += random.chance(0.8) ? '--b--\r\n' : '';
  if (random.chance(0.3)) body = mutateText(random, body);
  // Sometimes without the CSRF header: 403 before anything is parsed.
  const csrf = random.chance(0.9);
  return { raw: body, contentType: random.pick(['multipart/form-data; boundary=b', 'multipart/form-data', 'multipart/form-data; boundary=other']), ...(csrf ? { extraHeaders: { 'x-graphql-yoga-csrf': '1' } } : {}) };
}

const TOTAL = KINDS.reduce((sum, [w]) => sum + w, 0);

export function documentCase(seed: number, index: number): DocumentCase {
  const random = createRandom(seed, 'graphql-documents', index);
  let roll = random.next() * TOTAL;
  let make = (KINDS[0] as (typeof KINDS)[number])[1];
  for (const [weight, candidate] of KINDS) {
    roll -= weight;
    if (roll < 0) {
      make = candidate;
      break;
    }
  }
  const generated = make(random);
  const transport: Transport = generated.raw !== undefined ? 'post' : generated.rawGet !== undefined ? 'get' : random.pick(['post', 'post', 'post', 'get', 'sse', 'sse', 'ws', 'ws', 'ws'] as const);
  const extraHeaders: Record<string, string> = {};
  if (random.chance(0.1)) extraHeaders['x-request-id'] = random.pick(['x'.repeat(random.size(10_000)), '\u00ff\u00fe', 'ok-id']);
  if (transport === 'sse' && random.chance(0.2)) extraHeaders['last-event-id'] = random.pick(['-1', 'abc', '99999999999999999999999', '', ' 1', '\u00ff', 'x'.repeat(random.size(8000)), '%POSITION%']);
  if (random.chance(0.05)) extraHeaders.authorization = random.pick(['Bearer junk', 'Bearer ', 'Basic abc', `Bearer ${'t'.repeat(random.size(8000))}`]);
  return {
    index,
    kind: generated.kind,
    transport,
    request: generated.request,
    auth: generated.auth ?? false,
    extraHeaders,
    ...(generated.raw === undefined ? {} : { raw: generated.raw }),
    ...(generated.rawGet === undefined ? {} : { rawGet: generated.rawGet }),
    ...(generated.contentType === undefined ? {} : { contentType: generated.contentType }),
  };
}

export function documentCaseRepro(c: DocumentCase): string {
  if (c.rawGet !== undefined) return `GET /graphql?${c.rawGet}`;
  const body = c.raw ?? JSON.stringify(c.request);
  const shown = body.length > 500 ? `${body.slice(0, 500)}… (${body.length} characters)` : body;
  const headers = Object.keys(c.extraHeaders ?? {}).length ? ` headers ${JSON.stringify(c.extraHeaders).slice(0, 120)}` : '';
  return `${c.transport.toUpperCase()}${c.contentType === undefined ? '' : ` as ${c.contentType}`}${c.auth ? ' with the seeded token' : ''}${headers}: ${shown}`;
}
