/**
 * groupKey: which subscriptions share one execution per event. Two
 * subscriptions may share when every event resolves to the same bytes for
 * both: the same document, operation, auth scope and result-changing
 * variables. A variable used only as the root field's `after` picks where a
 * stream starts, not what an event looks like, so it is left out.
 */
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { groupKey } from '../../src/realtime/subscriptionGroup.ts';

const THREAD_EVENTS = `subscription ThreadEvents($t: ID!, $after: Position) {
  threadEvents(threadId: $t, after: $after) { ... on MessagePosted { position message { id body } } }
}`;

/**
 * `after` both picks the start and is read again in a fragment: it may change the result. (No field
 * inside an event takes a Position today, so this would not validate; groupKey reads syntax only, and
 * the rule is there for the field that will.)
 */
const AFTER_ALSO_IN_A_FRAGMENT = `subscription ThreadEvents($t: ID!, $after: Position) {
  threadEvents(threadId: $t, after: $after) { ...Posted }
}
fragment Posted on MessagePosted { position message { thread { messages(first: 1, after: $after) { edges { cursor } } } } }`;

const EVENTS_WITH_A_DIRECTIVE = `subscription Everything($after: Position, $withActor: Boolean!) {
  events(after: $after) { position actor @include(if: $withActor) { id } }
}`;

/** A subscription as the gateway hands it over: its text, its operation (the named one or the only one), its variables, its scope. */
function aSubscription(query: string, variables: Record<string, unknown>, options: { scope?: string; operationName?: string } = {}) {
  const document = parse(query);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = options.operationName === undefined ? operations[0]! : operations.find((o) => o.name?.value === options.operationName)!;
  return { query, operation, document, variables, scope: options.scope ?? 'public' };
}

function keyOf(subscription: ReturnType<typeof aSubscription>): string {
  return groupKey(subscription.query, subscription.operation, subscription.document, subscription.variables, subscription.scope);
}

describe('groupKey', () => {
  it('given two subscribers to one thread resuming from different positions, when keyed, then they share a group: `after` only picks the start', () => {
    const fromTen = aSubscription(THREAD_EVENTS, { t: 'thread-1', after: '10' });
    const fromNinety = aSubscription(THREAD_EVENTS, { t: 'thread-1', after: '90' });
    const live = aSubscription(THREAD_EVENTS, { t: 'thread-1' });
    expect(keyOf(fromTen)).toBe(keyOf(fromNinety));
    expect(keyOf(fromTen)).toBe(keyOf(live));
  });

  it('given two subscribers to different threads, when keyed, then they are in different groups', () => {
    expect(keyOf(aSubscription(THREAD_EVENTS, { t: 'thread-1', after: '10' }))).not.toBe(keyOf(aSubscription(THREAD_EVENTS, { t: 'thread-2', after: '10' })));
  });

  it('given an `after` variable that is also read elsewhere in the document, when keyed, then it is kept: it may change the result', () => {
    const fromTen = aSubscription(AFTER_ALSO_IN_A_FRAGMENT, { t: 'thread-1', after: '10' });
    const fromNinety = aSubscription(AFTER_ALSO_IN_A_FRAGMENT, { t: 'thread-1', after: '90' });
    expect(keyOf(fromTen)).not.toBe(keyOf(fromNinety));
  });

  it('given a variable used by a directive, when keyed, then it is kept while the `after` beside it is left out', () => {
    const withActor = (after: string) => aSubscription(EVENTS_WITH_A_DIRECTIVE, { after, withActor: true });
    const withoutActor = aSubscription(EVENTS_WITH_A_DIRECTIVE, { after: '1', withActor: false });
    expect(keyOf(withActor('1'))).toBe(keyOf(withActor('2')));
    expect(keyOf(withActor('1'))).not.toBe(keyOf(withoutActor));
  });

  it('given the same variables in another order, when keyed, then the key is the same', () => {
    const one = aSubscription(EVENTS_WITH_A_DIRECTIVE, { withActor: true, after: '1' });
    const other = aSubscription(EVENTS_WITH_A_DIRECTIVE, { after: '1', withActor: true });
    expect(keyOf(one)).toBe(keyOf(other));
  });

  it('given one subscription under two auth scopes, when keyed, then they are in different groups', () => {
    const variables = { t: 'thread-1' };
    expect(keyOf(aSubscription(THREAD_EVENTS, variables, { scope: 'public' }))).not.toBe(keyOf(aSubscription(THREAD_EVENTS, variables, { scope: 'user:a0000000' })));
  });

  it('given one document run as two of its operations, when keyed, then they are in different groups', () => {
    const twoOperations = `${THREAD_EVENTS}\nsubscription Ids($t: ID!, $after: Position) { threadEvents(threadId: $t, after: $after) { ... on MessagePosted { position } } }`;
    const variables = { t: 'thread-1' };
    const first = aSubscription(twoOperations, variables, { operationName: 'ThreadEvents' });
    const second = aSubscription(twoOperations, variables, { operationName: 'Ids' });
    expect(keyOf(first)).not.toBe(keyOf(second));
  });

  it('given two documents that differ only in their selection, when keyed, then they are in different groups', () => {
    const smaller = THREAD_EVENTS.replace('message { id body }', 'message { id }');
    expect(keyOf(aSubscription(THREAD_EVENTS, { t: 'thread-1' }))).not.toBe(keyOf(aSubscription(smaller, { t: 'thread-1' })));
  });

  it('given a scope and an operation name that could run together, when keyed, then the parts stay apart', () => {
    const a = groupKey('subscription { x }', parse('subscription ab { x }').definitions[0] as OperationDefinitionNode, parse('subscription ab { x }'), {}, 'user:1');
    const b = groupKey('subscription { x }', parse('subscription b { x }').definitions[0] as OperationDefinitionNode, parse('subscription b { x }'), {}, 'user:1a');
    expect(a).not.toBe(b);
  });
});
