/** UserSuspended as GraphQL: the event type (its mutation and fields are added here). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import type { Recorded } from './eventModule.ts';
import { userSuspended, type UserSuspendedData } from './userSuspended.ts';

type UserSuspendedEvent = Recorded<'UserSuspended', UserSuspendedData>;

export const UserSuspended = builder.objectRef<UserSuspendedEvent>(userSuspended.type).implement({
  description: 'A user was suspended from writing (or the suspension was changed).',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as UserSuspendedEvent).type === userSuspended.type,
  fields: () => ({}),
});
