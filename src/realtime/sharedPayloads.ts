/**
 * Executes a subscription's selection set once per event for everyone who
 * subscribed with the same document, variables and auth scope, and keeps
 * the serialized result so every one of them is sent the same bytes.
 *
 * The GraphQL spec runs the selection set per event per subscriber; with
 * 5,000 subscribers that is 5,000 identical executions. Here it is one.
 */
import { canonicalJson } from '../events/canonicalJson.ts';
import type { StoredEvent } from '../events/types.ts';
import { type DocumentNode, Kind, type OperationDefinitionNode, visit } from 'graphql';

/** How many recent events' payloads a group keeps for subscribers still catching up. */
const KEPT_PER_GROUP = 512;

interface Group {
  readonly payloads: Map<number, Promise<string>>;
  members: number;
}

export class SharedPayloads {
  private readonly groups = new Map<string, Group>();
  executions = 0;

  /** Joins (or opens) a group; call `leave` with the same key when the subscriber goes. */
  join(key: string): void {
    const group = this.groups.get(key);
    if (group) group.members += 1;
    else this.groups.set(key, { payloads: new Map(), members: 1 });
  }

  leave(key: string): void {
    const group = this.groups.get(key);
    if (group && --group.members <= 0) this.groups.delete(key);
  }

  /** The serialized result for `event` in this group: executed by the first asker, shared with the rest. */
  payload(key: string, event: StoredEvent, execute: () => Promise<string>): Promise<string> {
    const group = this.groups.get(key);
    if (!group) return execute();
    const cached = group.payloads.get(event.position);
    if (cached) return cached;
    this.executions += 1;
    const pending = execute();
    group.payloads.set(event.position, pending);
    pending.catch(() => group.payloads.delete(event.position));
    if (group.payloads.size > KEPT_PER_GROUP) group.payloads.delete(group.payloads.keys().next().value as number);
    return pending;
  }
}

/**
 * The key of a subscription's group: the document, the operation, the
 * variables that can change its results, and the auth scope. A variable used
 * only as the root field's `after` argument picks where the stream starts,
 * not what an event's result is, so it is left out: clients that joined at
 * different positions share results once they are live.
 */
export function groupKey(query: string, operation: OperationDefinitionNode, document: DocumentNode, variables: Readonly<Record<string, unknown>>, scope: string): string {
  const startOnly = startOnlyVariables(operation, document);
  const relevant = Object.fromEntries(Object.entries(variables).filter(([name]) => !startOnly.has(name)));
  return `${scope}\u0000${operation.name?.value ?? ''}\u0000${canonicalJson(relevant)}\u0000${query}`;
}

function startOnlyVariables(operation: OperationDefinitionNode, document: DocumentNode): Set<string> {
  const rootField = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  const afterVariables = new Set<string>();
  if (rootField?.kind === Kind.FIELD) {
    for (const arg of rootField.arguments ?? []) {
      if (arg.name.value === 'after' && arg.value.kind === Kind.VARIABLE) afterVariables.add(arg.value.name.value);
    }
  }
  if (afterVariables.size === 0) return afterVariables;
  // Used anywhere else (another argument, a fragment, a directive)? Then it may change results: keep it.
  let uses = 0;
  visit(document, {
    Variable(node, _key, parent) {
      if (afterVariables.has(node.name.value) && !(parent && 'kind' in parent && parent.kind === Kind.VARIABLE_DEFINITION)) uses += 1;
    },
  });
  return uses === afterVariables.size ? afterVariables : new Set();
}
