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
      author {
        ...UserFields
      }
      replyTo {
        id
        body
        author {
          ...UserFields
        }
      }
    }
  `,
  [UserFields],
);
