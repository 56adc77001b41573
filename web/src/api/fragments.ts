/** Selections shared by several operations. */
import { graphql } from '../graphql.ts';

export const UserFields = graphql(`
  fragment UserFields on User {
    id
    username
    displayName
    isBot
    avatarUrl
  }
`);

export const ThreadSummaryFields = graphql(
  `
    fragment ThreadSummaryFields on Thread {
      id
      title
      createdAt
      messageCount
      lastActivityAt
      position
    }
  `,
);

export const MessageFields = graphql(
  `
    fragment MessageFields on Message {
      id
      body
      format
      postedAt
      position
      editedAt
      deletedAt
      author {
        ...UserFields
      }
      mentions {
        id
        username
      }
      reactions {
        emoji
        count
        reactedByMe
        # Five names, then "and N others": with the server's default of 10, a page of 50 messages exceeds its complexity limit.
        users(first: 5) {
          id
          displayName
        }
      }
      attachments {
        id
        contentType
        byteSize
        name
        alt
        width
        height
        url
        thumbnailUrl
      }
      replyTo {
        id
        body
        deletedAt
        author {
          ...UserFields
        }
      }
    }
  `,
  [UserFields],
);

/** The viewer's unread state of a thread: only in viewer-scoped results (a query, markRead, myThreads), never in a shared feed. */
export const ThreadUnreadFields = graphql(`
  fragment ThreadUnreadFields on Thread {
    id
    position
    unreadCount
    unreadMentionCount
    lastReadPosition
  }
`);

export const PresenceFields = graphql(
  `
    fragment PresenceFields on Presence {
      people
      connections
      users(first: 20) {
        ...UserFields
      }
    }
  `,
  [UserFields],
);
