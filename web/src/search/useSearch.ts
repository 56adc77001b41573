/**
 * Searching messages: the first page for a query (the newest query wins: an
 * answer to an older one is dropped), more pages on demand, and the states
 * the panel shows (searching, nothing found, failed with a reason).
 */
import { useCallback, useRef, useState } from 'react';
import type { CombinedError } from '@urql/core';
import { errorMessage } from '../api/errors.ts';
import { useRetryOnReconnect } from '../api/useRetryOnReconnect.ts';
import { decodeUser, type User } from '../api/decode.ts';
import { SearchQuery } from '../api/operations.ts';
import { useThrds } from '../api/ThrdsContext.tsx';
import { appendPage, type ResultPage } from './searchResults.ts';

export interface SearchHit {
  readonly message: { readonly id: string; readonly postedAt: string; readonly author: User };
  readonly threadId: string;
  readonly threadTitle: string;
  /** Matches between U+0002 and U+0003 (snippetParts). */
  readonly snippet: string;
}

export interface Search {
  /** The query the results are for. */
  readonly query: string;
  readonly page: ResultPage<SearchHit> | null;
  readonly loading: boolean;
  readonly error: string | null;
  run(query: string): void;
  more(): void;
  clear(): void;
}

const pageSize = 20;

export function useSearch(): Search {
  const { client } = useThrds();
  const [query, setQuery] = useState('');
  const [page, setPage] = useState<ResultPage<SearchHit> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The last search's failure, for trying it again by itself (a malformed query is not tried again). */
  const [failure, setFailure] = useState<CombinedError | null>(null);
  const latest = useRef(0);

  const fetchPage = useCallback(
    (text: string, after: string | null, onPage: (page: ResultPage<SearchHit>) => void) => {
      const seq = ++latest.current;
      setLoading(true);
      setError(null);
      setFailure(null);
      void client
        .query(SearchQuery, { query: text, first: pageSize, after })
        .toPromise()
        .then((result) => {
          if (seq !== latest.current) return;
          setLoading(false);
          const connection = result.data?.search;
          if (!connection) {
            setError(result.error ? errorMessage(result.error) : 'The search failed.');
            setFailure(result.error ?? null);
            return;
          }
          const results = (connection.edges ?? []).flatMap((edge): SearchHit[] => {
            const node = edge?.node;
            const message = node?.message;
            const author = decodeUser(message?.author);
            const thread = message?.thread;
            if (!node || node.snippet == null || message?.id == null || message.postedAt == null || !author || thread?.id == null) return [];
            return [{ message: { id: message.id, postedAt: message.postedAt, author }, threadId: thread.id, threadTitle: thread.title ?? '', snippet: node.snippet }];
          });
          onPage({ results, endCursor: connection.pageInfo?.endCursor ?? null, hasNextPage: connection.pageInfo?.hasNextPage ?? false });
        });
    },
    [client],
  );

  const run = useCallback(
    (text: string) => {
      setQuery(text);
      if (text.trim() === '') {
        latest.current++;
        setPage(null);
        setLoading(false);
        setError(null);
        setFailure(null);
        return;
      }
      setPage(null);
      fetchPage(text.trim(), null, setPage);
    },
    [fetchPage],
  );

  const more = useCallback(() => {
    if (!page?.hasNextPage || !page.endCursor || loading) return;
    fetchPage(query.trim(), page.endCursor, (next) => setPage((p) => appendPage(p, next)));
  }, [page, loading, query, fetchPage]);

  const clear = useCallback(() => run(''), [run]);
  useRetryOnReconnect(failure, () => (page ? more() : run(query)));

  return { query, page, loading, error, run, more, clear };
}
