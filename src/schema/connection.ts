/**
 * Relay-style connections (the Relay Cursor Connections spec). A cursor is
 * an opaque base64 string that wraps a log position, the stable sort key of
 * every list here, so a cursor stays valid while the list grows and
 * `pageOf` can apply it as a bound in SQL instead of searching for an edge.
 */
import { ValidationError } from '../errors.ts';
import type { ObjectRef } from '@pothos/core';
import { builder, type PothosTypes } from './builder.ts';

/** Known when the page is read, or asked only if the client selects it (a query of its own). */
export type PageFlag = boolean | (() => Promise<boolean>);

export interface PageInfoShape {
  readonly hasNextPage: PageFlag;
  readonly hasPreviousPage: PageFlag;
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
  pageInfo: Pick<PageInfoShape, 'hasNextPage' | 'hasPreviousPage'>,
): ConnectionShape<T> {
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node.position), node }));
  return { edges, pageInfo: { ...pageInfo, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** The items strictly between two cursors' positions (either may be open). */
export interface CursorRange {
  readonly after: number | undefined;
  readonly before: number | undefined;
}

/** A list in its own order, read by cursor: what ApplyCursorsToEdges needs to run as a query. */
export interface PagedList<T> {
  /** Up to `limit` items of the range, taken from its start or from its end, in list order. */
  slice(range: CursorRange, limit: number, from: 'start' | 'end'): Promise<readonly T[]>;
  /** Whether the list holds an item at `after` or ahead of it: what the `after` cursor cut away. */
  anyUpTo(after: number): Promise<boolean>;
  /** Whether the list holds an item at `before` or behind it: what the `before` cursor cut away. */
  anyFrom(before: number): Promise<boolean>;
}

export interface PageArgs {
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
  readonly last?: number | null | undefined;
  readonly before?: string | null | undefined;
}

/**
 * The spec's EdgesToReturn: the cursors cut the list to the items strictly
 * between them (ApplyCursorsToEdges), then `first` keeps the first n of
 * those and `last` the last n of what is left, both given or not. Without
 * either, a page of `sizes.default` from the start, or from the end when
 * only `before` is given (the page just before it), counted as the `first`
 * or `last` it stands for. pageInfo as the spec computes it; where it says
 * the server may tell whether items lie beyond a cursor, it does, with one
 * query only if the client selects that flag.
 */
export async function pageOf<T extends { position: number }>(
  list: PagedList<T>,
  args: PageArgs,
  sizes: { readonly default: number; readonly max: number },
): Promise<ConnectionShape<T>> {
  const range: CursorRange = { after: decodeCursor(args.after, 'after'), before: decodeCursor(args.before, 'before') };
  const first = args.first == null ? undefined : pageSize(args.first, 'first', sizes.default, sizes.max);
  const last = args.last == null ? undefined : pageSize(args.last, 'last', sizes.default, sizes.max);

  if (first === undefined && (last !== undefined || (range.before !== undefined && range.after === undefined))) {
    const n = last ?? sizes.default;
    const rows = await list.slice(range, n + 1, 'end');
    const { before } = range;
    return connectionOf(rows.slice(Math.max(0, rows.length - n)), {
      hasPreviousPage: rows.length > n,
      hasNextPage: before === undefined ? false : () => list.anyFrom(before),
    });
  }
  const n = first ?? sizes.default;
  // Enough rows to tell whether the range holds more than `first`, and more than `last`.
  const rows = await list.slice(range, Math.max(n, last ?? 0) + 1, 'start');
  const firstRows = rows.slice(0, n);
  const { after } = range;
  return connectionOf(last === undefined ? firstRows : firstRows.slice(Math.max(0, firstRows.length - last)), {
    hasNextPage: rows.length > n,
    hasPreviousPage: last !== undefined ? rows.length > last : after === undefined ? false : () => list.anyUpTo(after),
  });
}

const flag = (value: PageFlag): boolean | Promise<boolean> => (typeof value === 'function' ? value() : value);

export const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  description: 'Where a page sits in its list (the Relay Cursor Connections spec).',
  fields: (t) => ({
    hasNextPage: t.boolean({
      description:
        'More items follow this page: when it was taken from the start (`first`, or neither `first` nor `last`, whose default size counts as `first`), in the range the cursors leave; when taken from the end, whether anything lies at or behind `before`.',
      resolve: (info) => flag(info.hasNextPage),
    }),
    hasPreviousPage: t.boolean({
      description:
        'More items precede this page: with `last`, in the range the cursors leave (as the spec says, even when `first` came first); otherwise whether anything lies at or ahead of `after`.',
      resolve: (info) => flag(info.hasPreviousPage),
    }),
    startCursor: t.exposeString('startCursor', { nullable: true, description: 'Cursor of the first edge; null for an empty page.' }),
    endCursor: t.exposeString('endCursor', { nullable: true, description: 'Cursor of the last edge; null for an empty page.' }),
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
