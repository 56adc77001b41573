/** The Event interface's ref, declared apart so each event module's GraphQL type can implement it (schema/event.ts implements it). */
import type { StoredEvent } from '../events/types.ts';
import { builder } from './builder.ts';

export const Event = builder.interfaceRef<StoredEvent>('Event');
