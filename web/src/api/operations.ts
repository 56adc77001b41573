/** Every GraphQL operation the web app sends, typed against the schema. */
import { graphql } from '../graphql.ts';
import { MessageFields, PresenceFields, ThreadSummaryFields, ThreadUnreadFields, UserFields } from './fragments.ts';

export const MeQuery = graphql(`query Me { me { ...UserFields role } }`, [UserFields]);

export const RegisterMutation = graphql(
  `
    mutation Register($input: RegisterInput!) {
      register(input: $input) { token user { ...UserFields role } }
    }
  `,
  [UserFields],
);

export const LoginMutation = graphql(
  `
    mutation Login($input: LoginInput!) {
      login(input: $input) { token user { ...UserFields role } }
    }
  `,
  [UserFields],
);

export const LogoutMutation = graphql(`mutation Logout { logout }`);

export const ThreadsQuery = graphql(
  `
    query Threads($first: Int!, $after: String) {
      threads(first: $first, after: $after) {
        edges { cursor node { ...ThreadSummaryFields ...ThreadUnreadFields } }
        pageInfo { hasNextPage endCursor }
      }
      unreadThreads
    }
  `,
  [ThreadSummaryFields, ThreadUnreadFields],
);

export const CreateThreadMutation = graphql(
  `
    mutation CreateThread($input: CreateThreadInput!) {
      createThread(input: $input) { position thread { ...ThreadSummaryFields } }
    }
  `,
  [ThreadSummaryFields],
);

/** Feeds the thread list: new threads, and activity in threads already shown; people's new pictures (liveAvatars.ts); bots retired and back (liveBots.ts). */
export const EventsSubscription = graphql(
  `
    subscription Events($after: Position) {
      events(after: $after) {
        __typename
        position
        ... on ThreadCreated { thread { ...ThreadSummaryFields } }
        ... on MessagePosted { message { id postedAt thread { ...ThreadSummaryFields } } }
        ... on ThreadRenamed { thread { ...ThreadSummaryFields } }
        ... on UserAvatarChanged { user { id } avatarUrl }
        ... on BotRemoved { bot { id } }
        ... on BotCardChanged { bot { id } }
      }
    }
  `,
  [ThreadSummaryFields],
);

export const ThreadQuery = graphql(
  `
    query Thread($id: ID!, $last: Int!, $before: String) {
      thread(id: $id) {
        id
        title
        position
        locked
        createdBy { id }
        bots { ...UserFields }
        unreadCount
        lastReadPosition
        messages(last: $last, before: $before) {
          edges { cursor node { ...MessageFields } }
          pageInfo { hasPreviousPage startCursor }
        }
      }
    }
  `,
  [MessageFields, UserFields],
);

export const ThreadEventsSubscription = graphql(
  `
    subscription ThreadEvents($threadId: ID!, $after: Position) {
      threadEvents(threadId: $threadId, after: $after) {
        __typename
        ... on MessagePosted { position message { ...MessageFields } }
        ... on ThreadCreated { position }
        ... on ThreadRenamed { position title }
        ... on ReactionAdded { position emoji user { id } message { ...MessageFields } }
        ... on ReactionRemoved { position emoji user { id } message { ...MessageFields } }
        ... on MessageEdited { position message { ...MessageFields } }
        ... on MessageDeleted { position recordedAt messageId message { ...MessageFields } }
        ... on ThreadLockChanged { position locked }
        ... on BotInvited { position bot { ...UserFields } }
        ... on BotUninvited { position bot { ...UserFields } }
        ... on BotDraft { threadId text replyToId ended bot { ...UserFields } }
      }
    }
  `,
  [MessageFields, UserFields],
);

/** Only the thread's creator may rename it (FORBIDDEN otherwise). */
export const RenameThreadMutation = graphql(`
  mutation RenameThread($input: RenameThreadInput!) {
    renameThread(input: $input) { position thread { id title } }
  }
`);

export const PostMessageMutation = graphql(
  `
    mutation PostMessage($input: PostMessageInput!) {
      postMessage(input: $input) { position message { ...MessageFields } }
    }
  `,
  [MessageFields],
);

/** Idempotent: adding a reaction already there changes nothing (`position` null). */
export const AddReactionMutation = graphql(
  `
    mutation AddReaction($input: AddReactionInput!) {
      addReaction(input: $input) { position message { ...MessageFields } }
    }
  `,
  [MessageFields],
);

/** Idempotent: removing a reaction that is not there changes nothing (`position` null). */
export const RemoveReactionMutation = graphql(
  `
    mutation RemoveReaction($input: RemoveReactionInput!) {
      removeReaction(input: $input) { position message { ...MessageFields } }
    }
  `,
  [MessageFields],
);

/** Only the author may edit (FORBIDDEN otherwise); a deleted message is NOT_FOUND. */
export const EditMessageMutation = graphql(
  `
    mutation EditMessage($input: EditMessageInput!) {
      editMessage(input: $input) { position message { ...MessageFields } }
    }
  `,
  [MessageFields],
);

/** The author or a moderator; no undo: the text is erased from the log. */
export const DeleteMessageMutation = graphql(`
  mutation DeleteMessage($input: DeleteMessageInput!) {
    deleteMessage(input: $input) { messageId position }
  }
`);

/** Moderators and admins only (FORBIDDEN otherwise). */
export const LockThreadMutation = graphql(`
  mutation LockThread($input: LockThreadInput!) {
    lockThread(input: $input) { id locked }
  }
`);

export const UnreadThreadsQuery = graphql(`query UnreadThreads { unreadThreads }`);

/** Moves the viewer's read marker forward (never back); answers the thread's counts after it. */
export const MarkReadMutation = graphql(
  `
    mutation MarkRead($input: MarkReadInput!) {
      markRead(input: $input) { ...ThreadUnreadFields }
    }
  `,
  [ThreadUnreadFields],
);

/**
 * The viewer's threads as they change (viewer-scoped: the counts are this
 * viewer's): posts, edits, deletions, and the viewer's own reads on any device.
 */
export const MyThreadsSubscription = graphql(
  `
    subscription MyThreads {
      myThreads {
        reason
        position
        thread { ...ThreadSummaryFields ...ThreadUnreadFields }
      }
    }
  `,
  [ThreadSummaryFields, ThreadUnreadFields],
);

/** Who is online (no thread) or has one thread open: the value now, then each change. */
export const PresenceSubscription = graphql(
  `
    subscription Presence($threadId: ID) {
      presence(threadId: $threadId) { ...PresenceFields }
    }
  `,
  [PresenceFields],
);

/** Who else is typing in a thread (never the viewer): the value now, then each change. */
export const TypingSubscription = graphql(
  `
    subscription Typing($threadId: ID!) {
      typing(threadId: $threadId) { threadId users { ...UserFields } }
    }
  `,
  [UserFields],
);

export const SetTypingMutation = graphql(`
  mutation SetTyping($input: SetTypingInput!) {
    setTyping(input: $input)
  }
`);

/** The viewer's newest mention, for the notification shown while the tab is hidden. */
export const LatestMentionQuery = graphql(
  `
    query LatestMention {
      mentions(first: 1) {
        edges { node { id body position author { ...UserFields } thread { id title } } }
      }
    }
  `,
  [UserFields],
);

/** Where a message is (its thread and log position), to open its thread at it; null when there is no such message. */
export const MessageWhereQuery = graphql(`
  query MessageWhere($id: ID!) {
    node(id: $id) { __typename ... on Message { id position thread { id } } }
  }
`);

/** Messages matching a query, best first; snippets mark matches with U+0002 … U+0003. */
export const SearchQuery = graphql(
  `
    query Search($query: String!, $first: Int, $after: String) {
      search(query: $query, first: $first, after: $after) {
        edges { cursor node { snippet score message { id postedAt author { ...UserFields } thread { id title } } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  `,
  [UserFields],
);

export type { Message, ReactionGroup, Role, ThreadSummary, User, Viewer } from './decode.ts';

/** Makes one of the viewer's image uploads (not yet posted) their avatar; returns them with the new avatarUrl. */
export const SetAvatarMutation = graphql(
  `
    mutation SetAvatar($input: SetAvatarInput!) {
      setAvatar(input: $input) { ...UserFields role }
    }
  `,
  [UserFields],
);

/** Back to initials: nothing is written when there is no avatar. */
export const ClearAvatarMutation = graphql(
  `
    mutation ClearAvatar {
      clearAvatar { ...UserFields role }
    }
  `,
  [UserFields],
);
