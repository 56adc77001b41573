/** UserRegistered as GraphQL (the mutation is `register`, schema/auth.ts). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { User } from '../schema/refs.ts';
import type { Recorded } from './eventModule.ts';
import { userRegistered, type UserRegisteredData } from './userRegistered.ts';
import { evolveUsers } from '../projections/usersProjection.ts';

type UserRegisteredEvent = Recorded<'UserRegistered', UserRegisteredData>;

export const UserRegistered = builder.objectRef<UserRegisteredEvent>(userRegistered.type).implement({
  description: 'Someone signed up.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as UserRegisteredEvent).type === userRegistered.type,
  fields: (t) => ({
    user: t.field({
      type: User,
      description: 'The user, as this event registered them.',
      resolve: (event) => evolveUsers([event])[0]!,
    }),
  }),
});
