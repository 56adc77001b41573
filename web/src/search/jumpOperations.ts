/** The lean walk of a jump (jumpPlan.ts): the thread's message ids and cursors only, hundreds a request. */
import { graphql } from '../graphql.ts';

export const ThreadCursorsQuery = graphql(`
  query ThreadCursors($id: ID!, $last: Int!, $before: String) {
    thread(id: $id) {
      id
      messages(last: $last, before: $before) {
        edges { cursor node { id } }
        pageInfo { hasPreviousPage startCursor }
      }
    }
  }
`);
