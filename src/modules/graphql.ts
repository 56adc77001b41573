/**
 * The GraphQL type of every event module. The map must name one for each
 * known event type: a module without one is a compile error here.
 */
import type { ObjectRef } from '@pothos/core';
import type { builder } from '../schema/builder.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
import type { ChatEventType } from './index.ts';
import { BotAdded } from './botAdded.graphql.ts';
import { BotCardChanged } from './botCardChanged.graphql.ts';
import { BotInvited } from './botInvited.graphql.ts';
import { BotRemoved } from './botRemoved.graphql.ts';
import { BotUninvited } from './botUninvited.graphql.ts';
import { MessageDeleted } from './messageDeleted.graphql.ts';
import { MessageEdited } from './messageEdited.graphql.ts';
import { MessagePosted } from './messagePosted.graphql.ts';
import { ReactionAdded } from './reactionAdded.graphql.ts';
import { ReactionRemoved } from './reactionRemoved.graphql.ts';
import { ThreadCreated } from './threadCreated.graphql.ts';
import { ThreadLockChanged } from './threadLockChanged.graphql.ts';
import { ThreadRenamed } from './threadRenamed.graphql.ts';
import { UserAvatarChanged } from './userAvatarChanged.graphql.ts';
import { UserRegistered } from './userRegistered.graphql.ts';
import { UserRoleChanged } from './userRoleChanged.graphql.ts';
import { UserSuspended } from './userSuspended.graphql.ts';

export const eventObjectTypes = {
  UserRegistered,
  ThreadCreated,
  MessagePosted,
  ThreadRenamed,
  ReactionAdded,
  ReactionRemoved,
  MessageEdited,
  MessageDeleted,
  UserRoleChanged,
  UserSuspended,
  ThreadLockChanged,
  BotAdded,
  BotCardChanged,
  BotRemoved,
  BotInvited,
  BotUninvited,
  UserAvatarChanged,
} as const satisfies { readonly [Type in ChatEventType]: ObjectRef<Types, any> };
