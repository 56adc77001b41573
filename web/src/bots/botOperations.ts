/** The companion's operations (issue 15): the bots there are, and inviting one to a thread or removing it. */
import { graphql } from '../graphql.ts';
import { UserFields } from '../api/fragments.ts';

/** Active bots, by username: for `@` completion and the thread menu's "Add a bot…". */
export const BotsQuery = graphql(
  `
    query Bots {
      bots { ...UserFields botProfile { description } }
    }
  `,
  [UserFields],
);

/** The thread's creator or a moderator/admin (FORBIDDEN otherwise); inviting one already there changes nothing. */
export const InviteBotMutation = graphql(
  `
    mutation InviteBot($input: InviteBotInput!) {
      inviteBot(input: $input) { id bots { ...UserFields } }
    }
  `,
  [UserFields],
);

/** Uninvites: same rules as inviting. */
export const RemoveBotMutation = graphql(
  `
    mutation RemoveBot($input: RemoveBotInput!) {
      removeBot(input: $input) { id bots { ...UserFields } }
    }
  `,
  [UserFields],
);
