/**
 * The costliest documents an anonymous attacker can send against one long
 * thread, by family, each from its heaviest form down. The bench sends them
 * in order and keeps, per family, the first the operation limits accept: so
 * the figure follows the limits (src/protection/operationLimits.ts and the
 * complexity in src/schema/builder.ts) as they change, instead of assuming
 * them.
 */
import { getIntrospectionQuery } from 'graphql';

export interface AttackDocument {
  readonly family: string;
  /** e.g. "29 aliases × messages(last: 20)" */
  readonly shape: string;
  readonly query: string;
}

const MESSAGE_FIELDS = 'id body postedAt position author { id displayName username } replyTo { id body author { displayName } }';

function aliased(count: number, field: string): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
}

/** Families in the order they are tried; within a family, heaviest first. */
export function attackDocuments(threadId: string, head: number): AttackDocument[][] {
  const lasts = [500, 400, 300, 200, 100, 50, 20, 10, 5, 1];
  const aliasCounts = [30, 29, 20, 10, 5];
  const asOf = lasts.map((n) => ({
    family: 'thread(asOf: head) fold',
    shape: `one thread(asOf) folding the whole thread, messages(last: ${n})`,
    query: `{ thread(id: "${threadId}", asOf: "${head}") { id title messageCount messages(last: ${n}) { edges { cursor node { ${MESSAGE_FIELDS} } } pageInfo { hasPreviousPage startCursor } } } }`,
  }));
  const asOfPlusAliases = aliasCounts.flatMap((a) =>
    lasts.map((n) => ({
      family: 'thread(asOf) fold + aliases of messages(last)',
      shape: `thread(asOf) + ${a - 1} aliases × messages(last: ${n})`,
      query: `{ f: thread(id: "${threadId}", asOf: "${head}") { messages(last: ${n}) { edges { node { ${MESSAGE_FIELDS} } } } } ${Array.from({ length: a - 1 }, (_, i) => `a${i}: thread(id: "${threadId}") { messages(last: ${n}) { edges { node { ${MESSAGE_FIELDS} } } } }`).join(' ')} }`,
    })),
  );
  const messageAliases = aliasCounts.flatMap((a) =>
    lasts.map((n) => ({
      family: 'aliases of thread.messages(last)',
      shape: `${a} aliases × messages(last: ${n})`,
      query: aliased(a, `thread(id: "${threadId}") { messages(last: ${n}) { edges { cursor node { ${MESSAGE_FIELDS} } } } }`),
    })),
  );
  const events = aliasCounts.flatMap((a) =>
    [1000, 700, 500, 300, 100, 50, 20].map((n) => ({
      family: 'aliases of events(first)',
      shape: `${a} aliases × events(first: ${n})`,
      query: aliased(a, `events(first: ${n}, after: "${Math.max(0, head - 5000)}") { position type streamId data hash correlationId recordedAt actor { displayName } }`),
    })),
  );
  const introspection = [
    {
      family: 'introspection',
      shape: "GraphiQL's full introspection, every option on",
      query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }),
    },
    { family: 'introspection', shape: '30 aliases of __schema { types { fields } }', query: aliased(30, '__schema { types { name kind description fields { name description args { name } type { name kind ofType { name } } } } }') },
    { family: 'introspection', shape: '__schema { types { fields } } + 29 × __typename', query: `{ __schema { types { name kind description fields { name description args { name } type { name kind ofType { name } } } } } ${Array.from({ length: 29 }, (_, i) => `t${i}: __typename`).join(' ')} }` },
  ];
  return [asOf, asOfPlusAliases, messageAliases, events, introspection];
}
