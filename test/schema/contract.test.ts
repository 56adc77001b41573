/**
 * The public GraphQL contract, field by field, as the issues that defined it
 * wrote it. Outside clients depend on these exact names and types; adding is
 * fine, changing one of these is a breaking change.
 */
import { isEnumType, isInterfaceType, isObjectType, isScalarType, isUnionType, type GraphQLField } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';

const CONTRACT: Record<string, Record<string, string>> = {
  Query: {
    me: 'User',
    'threads(first: Int, after: String)': 'ThreadConnection!',
    'thread(id: ID!)': 'Thread',
    'events(after: Position, first: Int)': '[Event!]!',
    'node(id: ID!)': 'Node',
    'nodes(ids: [ID!]!)': '[Node]!',
    online: 'Presence!',
    'mentions(first: Int, after: String)': 'MessageConnection!',
    unreadThreads: 'Int!',
    'search(query: String!, threadId: ID, from: ID, first: Int, after: String)': 'SearchResultConnection!',
    bots: '[User!]!',
  },
  Node: { id: 'ID!' },
  Thread: {
    id: 'ID!',
    title: 'String!',
    createdAt: 'DateTime!',
    createdBy: 'User!',
    messageCount: 'Int!',
    lastActivityAt: 'DateTime!',
    position: 'Position!',
    'messages(first: Int, after: String, last: Int, before: String)': 'MessageConnection!',
    locked: 'Boolean!',
    online: 'Presence!',
    unreadCount: 'Int!',
    unreadMentionCount: 'Int!',
    lastReadPosition: 'Position',
    bots: '[User!]!',
  },
  Message: {
    id: 'ID!',
    thread: 'Thread!',
    author: 'User!',
    body: 'String!',
    format: 'MessageFormat!',
    postedAt: 'DateTime!',
    position: 'Position!',
    replyTo: 'Message',
    reactions: '[ReactionGroup!]!',
    editedAt: 'DateTime',
    revisions: '[MessageRevision!]!',
    deletedAt: 'DateTime',
    mentions: '[User!]!',
    attachments: '[Attachment!]!',
  },
  Attachment: {
    id: 'ID!',
    contentType: 'String!',
    byteSize: 'Int!',
    name: 'String',
    alt: 'String',
    width: 'Int',
    height: 'Int',
    url: 'String!',
    thumbnailUrl: 'String',
  },
  SearchResultConnection: { edges: '[SearchResultEdge!]!', nodes: '[SearchResult!]!', pageInfo: 'PageInfo!' },
  SearchResultEdge: { cursor: 'String!', node: 'SearchResult!' },
  SearchResult: { message: 'Message!', snippet: 'String!', score: 'Float!' },
  ReactionGroup: { emoji: 'String!', count: 'Int!', reactedByMe: 'Boolean!', 'users(first: Int)': '[User!]!' },
  MessageRevision: { body: 'String!', editedAt: 'DateTime!' },
  User: { id: 'ID!', username: 'String!', displayName: 'String!', role: 'Role!', suspendedUntil: 'DateTime', isBot: 'Boolean!', botProfile: 'BotProfile', avatarUrl: 'String' },
  BotProfile: { description: 'String!', tags: '[String!]!', creatorNotes: 'String!', greeting: 'String!' },
  BotDraft: { threadId: 'ID!', bot: 'User!', text: 'String!', replyToId: 'ID!', ended: 'Boolean!' },
  BotInvited: { threadId: 'ID!', bot: 'User!' },
  BotUninvited: { threadId: 'ID!', bot: 'User!' },
  UserAvatarChanged: { user: 'User!', avatarUrl: 'String' },
  Mutation: {
    'register(input: RegisterInput!)': 'AuthPayload!',
    'login(input: LoginInput!)': 'AuthPayload!',
    'createThread(input: CreateThreadInput!)': 'CreateThreadPayload!',
    'postMessage(input: PostMessageInput!)': 'PostMessagePayload!',
    'renameThread(input: RenameThreadInput!)': 'RenameThreadPayload!',
    'addReaction(input: AddReactionInput!)': 'ReactionPayload!',
    'removeReaction(input: RemoveReactionInput!)': 'ReactionPayload!',
    'editMessage(input: EditMessageInput!)': 'EditMessagePayload!',
    'deleteMessage(input: DeleteMessageInput!)': 'DeleteMessagePayload!',
    'setUserRole(input: SetUserRoleInput!)': 'User!',
    'lockThread(input: LockThreadInput!)': 'Thread!',
    'suspendUser(input: SuspendUserInput!)': 'User!',
    'setAvatar(input: SetAvatarInput!)': 'User!',
    clearAvatar: 'User!',
    'setTyping(input: SetTypingInput!)': 'Boolean!',
    'markRead(input: MarkReadInput!)': 'Thread!',
    logout: 'Boolean!',
    logoutEverywhere: 'Int!',
    'changePassword(input: ChangePasswordInput!)': 'Boolean!',
    'uploadAttachment(file: File!, alt: String)': 'Attachment!',
    'inviteBot(input: InviteBotInput!)': 'Thread!',
    'removeBot(input: RemoveBotInput!)': 'Thread!',
  },
  AuthPayload: { token: 'String!', user: 'User!' },
  CreateThreadPayload: { thread: 'Thread!', position: 'Position!' },
  PostMessagePayload: { message: 'Message!', position: 'Position!' },
  RenameThreadPayload: { thread: 'Thread!', position: 'Position!' },
  ReactionPayload: { message: 'Message!', position: 'Position' },
  EditMessagePayload: { message: 'Message!', position: 'Position!' },
  DeleteMessagePayload: { messageId: 'ID!', position: 'Position!' },
  Subscription: {
    'threadEvents(threadId: ID!, after: Position)': 'ThreadEvent!',
    'events(after: Position)': 'Event!',
    'presence(threadId: ID)': 'Presence!',
    'typing(threadId: ID!)': 'TypingUpdate!',
    myThreads: 'ThreadUpdate!',
  },
  Presence: { people: 'Int!', connections: 'Int!', 'users(first: Int)': '[User!]!' },
  TypingUpdate: { threadId: 'ID!', users: '[User!]!' },
  ThreadUpdate: { thread: 'Thread!' },
  Event: { id: 'ID!', position: 'Position!', eventId: 'ID!', type: 'String!', streamId: 'ID!', streamVersion: 'Int!', recordedAt: 'DateTime!', actor: 'User', data: 'JSON!' },
  ThreadCreated: { thread: 'Thread!' },
  MessagePosted: { message: 'Message!' },
  ThreadRenamed: { position: 'Position!', thread: 'Thread!', previousTitle: 'String!', title: 'String!' },
  UserRegistered: { user: 'User!' },
  ReactionAdded: { message: 'Message!', emoji: 'String!', user: 'User!' },
  ReactionRemoved: { message: 'Message!', emoji: 'String!', user: 'User!' },
  MessageEdited: { message: 'Message!' },
  MessageDeleted: { messageId: 'ID!', message: 'Message!', reason: 'String' },
  UserRoleChanged: { user: 'User!', role: 'Role!', previousRole: 'Role!' },
  UserSuspended: { user: 'User!', until: 'DateTime' },
  ThreadLockChanged: { thread: 'Thread!', locked: 'Boolean!' },
  ThreadConnection: { edges: '[ThreadEdge!]!', pageInfo: 'PageInfo!' },
  ThreadEdge: { cursor: 'String!', node: 'Thread!' },
  MessageConnection: { edges: '[MessageEdge!]!', pageInfo: 'PageInfo!' },
  MessageEdge: { cursor: 'String!', node: 'Message!' },
};

const INPUTS: Record<string, Record<string, string>> = {
  RegisterInput: { username: 'String!', password: 'String!', displayName: 'String!' },
  LoginInput: { username: 'String!', password: 'String!' },
  ChangePasswordInput: { currentPassword: 'String!', newPassword: 'String!' },
  CreateThreadInput: { title: 'String!', idempotencyKey: 'String' },
  PostMessageInput: { threadId: 'ID!', body: 'String!', replyToId: 'ID', idempotencyKey: 'String', format: 'MessageFormat', attachmentIds: '[ID!]' },
  RenameThreadInput: { threadId: 'ID!', title: 'String!', idempotencyKey: 'String' },
  AddReactionInput: { messageId: 'ID!', emoji: 'String!' },
  RemoveReactionInput: { messageId: 'ID!', emoji: 'String!' },
  EditMessageInput: { messageId: 'ID!', body: 'String!', idempotencyKey: 'String' },
  DeleteMessageInput: { messageId: 'ID!', reason: 'String' },
  SetUserRoleInput: { userId: 'ID!', role: 'Role!' },
  LockThreadInput: { threadId: 'ID!', locked: 'Boolean!' },
  SuspendUserInput: { userId: 'ID!', until: 'DateTime' },
  SetTypingInput: { threadId: 'ID!', typing: 'Boolean!' },
  MarkReadInput: { threadId: 'ID!', position: 'Position!' },
  InviteBotInput: { threadId: 'ID!', botId: 'ID!' },
  RemoveBotInput: { threadId: 'ID!', botId: 'ID!' },
  SetAvatarInput: { attachmentId: 'ID!' },
};

function fieldOf(typeName: string, name: string): GraphQLField<unknown, unknown> | undefined {
  const type = schema.getType(typeName);
  if (!isObjectType(type) && !isInterfaceType(type)) return undefined;
  return type.getFields()[name];
}

describe('the GraphQL contract', () => {
  for (const [typeName, fields] of Object.entries(CONTRACT)) {
    for (const [signature, expected] of Object.entries(fields)) {
      it(`${typeName}.${signature}: ${expected}`, () => {
        const [name, argList] = signature.replace(')', '').split('(') as [string, string | undefined];
        const field = fieldOf(typeName, name);
        expect(field, `${typeName}.${name} exists`).toBeDefined();
        expect(String(field!.type)).toBe(expected);
        for (const arg of argList?.split(', ') ?? []) {
          const [argName, argType] = arg.split(': ') as [string, string];
          expect(String(field!.args.find((a) => a.name === argName)?.type), `${typeName}.${name}(${argName})`).toBe(argType);
        }
      });
    }
  }

  it('has the input types as written', () => {
    for (const [typeName, fields] of Object.entries(INPUTS)) {
      const type = schema.getType(typeName);
      const actual = type && 'getFields' in type ? type.getFields() : {};
      for (const [name, expected] of Object.entries(fields)) expect(String((actual as Record<string, { type: unknown }>)[name]?.type), `${typeName}.${name}`).toBe(expected);
    }
  });

  it('describes every account mutation, its arguments and the fields of its types', () => {
    const mutation = schema.getMutationType()!.getFields();
    for (const name of ['register', 'login', 'logout', 'logoutEverywhere', 'changePassword']) {
      expect(mutation[name]?.description, `Mutation.${name}`).toBeTruthy();
      for (const arg of mutation[name]?.args ?? []) expect(arg.description, `Mutation.${name}(${arg.name})`).toBeTruthy();
    }
    for (const typeName of ['AuthPayload', 'RegisterInput', 'LoginInput', 'ChangePasswordInput']) {
      const type = schema.getType(typeName) as { description?: string | null; getFields(): Record<string, { description?: string | null }> };
      expect(type.description, typeName).toBeTruthy();
      for (const [name, field] of Object.entries(type.getFields())) expect(field.description, `${typeName}.${name}`).toBeTruthy();
    }
  });

  it('makes the event types Events, and ThreadEvent the union of those of a thread and the ephemeral BotDraft', () => {
    const event = schema.getType('Event');
    expect(isInterfaceType(event)).toBe(true);
    const implementations = schema.getPossibleTypes(event as never).map((t) => t.name);
    expect(implementations).toEqual(
      expect.arrayContaining([
        'ThreadCreated',
        'MessagePosted',
        'UserRegistered',
        'ThreadRenamed',
        'ReactionAdded',
        'ReactionRemoved',
        'MessageEdited',
        'MessageDeleted',
        'UserRoleChanged',
        'UserSuspended',
        'ThreadLockChanged',
        'BotAdded',
        'BotCardChanged',
        'BotRemoved',
        'BotInvited',
        'BotUninvited',
        'UserAvatarChanged',
      ]),
    );
    const union = schema.getType('ThreadEvent');
    expect(isUnionType(union) && union.getTypes().map((t) => t.name).sort()).toEqual([
      'BotDraft',
      'BotInvited',
      'BotUninvited',
      'MessageDeleted',
      'MessageEdited',
      'MessagePosted',
      'ReactionAdded',
      'ReactionRemoved',
      'ThreadCreated',
      'ThreadLockChanged',
      'ThreadRenamed',
    ]);
  });

  it('makes User, Thread and Message Nodes, so normalized caches key them by id', () => {
    const node = schema.getType('Node');
    expect(isInterfaceType(node)).toBe(true);
    expect(schema.getPossibleTypes(node as never).map((t) => t.name)).toEqual(expect.arrayContaining(['User', 'Thread', 'Message']));
  });

  it('names the roles in Role: MEMBER, MODERATOR, ADMIN', () => {
    const role = schema.getType('Role');
    expect(isEnumType(role) && role.getValues().map((v) => v.name).sort()).toEqual(['ADMIN', 'MEMBER', 'MODERATOR']);
  });

  it('names the message formats in MessageFormat: MARKDOWN and PLAIN, and posts MARKDOWN unless asked', () => {
    const format = schema.getType('MessageFormat');
    expect(isEnumType(format) && format.getValues().map((v) => v.name).sort()).toEqual(['MARKDOWN', 'PLAIN']);
    const input = schema.getType('PostMessageInput');
    const field = input && 'getFields' in input ? (input.getFields() as Record<string, { defaultValue?: unknown }>).format : undefined;
    expect(field?.defaultValue).toBe('markdown');
  });

  it('points each custom scalar at its specification', () => {
    const specifiedBy = (name: string) => {
      const type = schema.getType(name);
      return isScalarType(type) ? type.specifiedByURL : undefined;
    };
    expect({ DateTime: specifiedBy('DateTime'), Position: specifiedBy('Position'), JSON: specifiedBy('JSON') }).toEqual({
      DateTime: 'https://scalars.graphql.org/andimarek/date-time',
      Position: '/scalars/position',
      JSON: 'https://www.rfc-editor.org/rfc/rfc8259',
    });
  });
});
