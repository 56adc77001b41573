/**
 * Relay-style connections. A cursor is an opaque base64 string that wraps
 * a log position, the stable sort key of every list here.
 */
import { ValidationError } from '../errors.ts';
import type { ObjectRef } from '@pothos/core';
import { builder, type PothosTypes } from './builder.ts';

export interface PageInfoShape {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

export interface ConnectionShape<T> {
  readonly edges: ReadonlyArray<{ readonly cursor: string; readonly node: T }>;
  readonly pageInfo: PageInfoShape;
}

export function encodeCursor(position: number): string {
  return Buffer.from(`p:${position}`).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, arg: string): number | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const match = /^p:(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new ValidationError(`${arg} is not a cursor from this API`, { field: arg });
  return Number(match[1]);
}

export function pageSize(value: number | null | undefined, arg: string, fallback: number, max: number): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) throw new ValidationError(`${arg} must be between 0 and ${max}`, { field: arg });
  return value;
}

export function connectionOf<T extends { position: number }>(
  nodes: readonly T[],
  pageInfo: Omit<PageInfoShape, 'startCursor' | 'endCursor'>,
): ConnectionShape<T> {
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node.position), node }));
  return { edges, pageInfo: { ...pageInfo, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } };
}

export const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  description: 'Where a page sits in its list.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'More items follow this page.' }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', { description: 'More items precede this page.' }),
    startCursor: t.exposeString('startCursor', { nullable: true, description: 'Cursor of the first edge.' }),
    endCursor: t.exposeString('endCursor', { nullable: true, description: 'Cursor of the last edge.' }),
  }),
});

/** `${name}Connection` and `${name}Edge` over a node type. */
export function defineConnection<T extends { position: number }>(name: string, node: ObjectRef<PothosSchemaTypes.ExtendDefaultTypes<PothosTypes>, T>) {
  const Edge = builder.objectRef<{ cursor: string; node: T }>(`${name}Edge`).implement({
    description: `One ${name} in a page, with its cursor.`,
    fields: (t) => ({
      cursor: t.exposeString('cursor', { description: 'Pass as after/before to page from here.' }),
      // Pothos cannot resolve its result type for a generic T; the ref fixes the runtime type.
      node: t.field({ type: node, description: `The ${name}.`, resolve: (edge) => edge.node as never }),
    }),
  });
  return builder.objectRef<ConnectionShape<T>>(`${name}Connection`).implement({
    description: `A page of ${name}s.`,
    fields: (t) => ({
      edges: t.field({ type: [Edge], description: 'The items of this page, in order.', resolve: (c) => [...c.edges] }),
      pageInfo: t.field({ type: PageInfo, description: 'Where this page sits.', resolve: (c) => c.pageInfo }),
    }),
  });
}
