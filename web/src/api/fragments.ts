/** Selections shared by several operations. */
import { graphql } from '../graphql.ts';

export const UserFields = graphql(`
  fragment UserFields on User {
    id
    username
    displayName
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
      postedAt
      position
      editedAt
      deletedAt
      author {
        ...UserFields
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
