/**
 * The GraphQL type of every event module. The map must name one for each
 * known event type: a module without one is a compile error here.
 */
import type { ObjectRef } from '@pothos/core';
import type { builder } from '../schema/builder.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
import type { ChatEventType } from './index.ts';
import { MessagePosted } from './messagePosted.graphql.ts';
import { ThreadCreated } from './threadCreated.graphql.ts';
import { ThreadRenamed } from './threadRenamed.graphql.ts';
import { UserRegistered } from './userRegistered.graphql.ts';

export const eventObjectTypes = {
  UserRegistered,
  ThreadCreated,
  MessagePosted,
  ThreadRenamed,
} as const satisfies { readonly [Type in ChatEventType]: ObjectRef<Types, any> };
