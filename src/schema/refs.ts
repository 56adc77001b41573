/**
 * The object types that refer to each other, declared once so the type
 * files can implement them without importing one another in a circle.
 */
import { NotFoundError } from '../errors.ts';
import type { MessageRow } from '../projections/messagesProjection.ts';
import type { ThreadRow } from '../projections/threadsProjection.ts';
import type { UserRow } from '../projections/usersProjection.ts';
import { builder } from './builder.ts';

export const User = builder.objectRef<UserRow>('User');
/** A thread from the read model, or folded from the log as of a position (then with its messages). */
export type ThreadModel = ThreadRow & { readonly history?: readonly MessageRow[] };

export const Thread = builder.objectRef<ThreadModel>('Thread');
export const Message = builder.objectRef<MessageRow>('Message');

/** The row a reference points at, or NOT_FOUND: a row the read model must hold (one it holds refers to it). */
export function orNotFound<T>(row: T | null, kind: string, id: string): T {
  if (row === null) throw new NotFoundError(`No ${kind} ${id}`);
  return row;
}
