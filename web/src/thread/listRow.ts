/**
 * What the virtualized message list puts on each row's own element: the
 * indexes and measured size Virtuoso reads back from the DOM, and the roving
 * tab index (the active message is the list's one tab stop). Rows are the
 * list's `<li>`s themselves (no wrapper, so the list stays a real list): each
 * row component spreads these onto its `<li>`. Outside the list, nothing.
 */
import { createContext, useContext, type CSSProperties } from 'react';

export interface ListRowAttributes {
  readonly 'data-index'?: number;
  readonly 'data-item-index'?: number;
  readonly 'data-known-size'?: number;
  readonly style?: CSSProperties;
  readonly tabIndex?: number;
}

export const ListRowContext = createContext<ListRowAttributes>({});

export function useListRow(): ListRowAttributes {
  return useContext(ListRowContext);
}
