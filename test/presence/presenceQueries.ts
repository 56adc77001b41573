/** What the presence tests share: the operations, and a subscription that keeps what it receives. */
import type { Client } from 'graphql-ws';

export const PRESENCE = 'subscription ($t: ID) { presence(threadId: $t) { people connections users { username } } }';
export const TYPING = 'subscription ($t: ID!) { typing(threadId: $t) { threadId users { username } } }';
export const SET_TYPING = 'mutation ($t: ID!, $on: Boolean!) { setTyping(input: { threadId: $t, typing: $on }) }';

/** A live subscription whose results (and errors) are kept as they come. */
export interface Live<T> {
  readonly items: T[];
  readonly errors: unknown[];
  stop(): void;
}

export function live<T>(client: Client, query: string, variables: Record<string, unknown> = {}): Live<T> {
  const items: T[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => (result.errors ? errors.push(result.errors) : items.push(result.data as T)),
      error: (error) => errors.push(error),
      complete: () => {},
    },
  );
  return { items, errors, stop };
}
