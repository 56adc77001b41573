/** UserRoleChanged as GraphQL: the event type (its mutation and fields are added here). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import type { Recorded } from './eventModule.ts';
import { userRoleChanged, type UserRoleChangedData } from './userRoleChanged.ts';

type UserRoleChangedEvent = Recorded<'UserRoleChanged', UserRoleChangedData>;

export const UserRoleChanged = builder.objectRef<UserRoleChangedEvent>(userRoleChanged.type).implement({
  description: 'A user was given another role.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as UserRoleChangedEvent).type === userRoleChanged.type,
  fields: () => ({}),
});
