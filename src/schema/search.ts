/** `Query.search`: full-text search over every message that stands, in relevance order (src/search). */
import { ThrdsError } from '../errors.ts';
import { validate } from '../input/limits.ts';
import { log } from '../observability/log.ts';
import type { MessageRow } from '../projections/messagesProjection.ts';
import { messagesByIds } from '../projections/messagesQueries.ts';
import { decodeSearchCursor, encodeSearchCursor, SEARCH_PAGE, searchMessages } from '../search/searchMessages.ts';
import { parseSearchQuery, SEARCH_LIMITS } from '../search/searchQuery.ts';
import { searched } from '../search/searchTimings.ts';
import { snippetOf } from '../search/snippet.ts';
import { builder } from './builder.ts';
import { type ConnectionShape, defineConnection, pageSize } from './connection.ts';
import { Message } from './refs.ts';

interface SearchResultShape {
  readonly message: MessageRow;
  readonly snippet: string;
  readonly score: number;
  readonly position: number;
}

/** A search slower than this is logged (without its text) for the operator. */
const SLOW_SEARCH_MS = 1000;

const SearchResult = builder.objectRef<SearchResultShape>('SearchResult').implement({
  description: 'One message a search found.',
  fields: (t) => ({
    message: t.field({ type: Message, description: 'The message.', resolve: (r) => r.message }),
    snippet: t.exposeString('snippet', {
      description:
        'Up to about 200 characters of the text around its first match, every match between U+0002 (start) and U+0003 (end); "…" where the text was cut, white space runs as one space. Plain text, never HTML: message text never holds control characters, so the marks are unambiguous.',
    }),
    score: t.exposeFloat('score', {
      description:
        'Relevance: higher is better (SQLite: -bm25; MariaDB: InnoDB FULLTEXT relevance, 0 when no word of the query is indexed). Comparable only within one result list.',
    }),
  }),
});

const SearchResultConnection = defineConnection<SearchResultShape>('SearchResult', SearchResult);

builder.objectField(SearchResultConnection, 'nodes', (t) =>
  t.field({
    type: [SearchResult],
    description: 'The results of this page, in order: the edges without their cursors.',
    // Priced by the query's `first`, as `edges` is.
    complexity: { field: 1, multiplier: 1 },
    resolve: (connection) => connection.edges.map((edge) => edge.node),
  }),
);

builder.queryField('search', (t) =>
  t.field({
    type: SearchResultConnection,
    description: `Messages that match \`query\` (its language: the argument's description, and docs/search.md), most relevant first, then newest first; deleted messages never appear. Anyone may search (rate-limited per user, or per address when signed out). Snippets mark matches with U+0002 before and U+0003 after.

Paging: the first page fixes a snapshot; later pages (\`after\` an \`endCursor\`) see only messages posted up to it, and neither repeat nor skip a result while others are deleted or edited.`,
    complexity: (args) => ({ field: 2, multiplier: args.first ?? SEARCH_PAGE.default }),
    args: {
      query: t.arg.string({
        required: true,
        description: `What to look for: at most ${SEARCH_LIMITS.queryLength} characters, ${SEARCH_LIMITS.terms} words/phrases/operators, ${SEARCH_LIMITS.words} words in all.
- \`word\`: every word must match, whatever the case or accents; a word is a run of letters and digits (\`foo-bar\` is the phrase "foo bar").
- \`"a phrase"\`: these words one after the other. \`pre*\`: a word that starts with \`pre\`.
- \`-word\`, \`-"a phrase"\`: leaves out messages that contain it.
- \`from:username\`: posted by that user (several: any of them); an unknown user finds nothing.
- \`in:title-words\` or \`in:"title words"\`: in a thread whose title holds these words one after the other, as whole words (\`in:release-notes\` matches "Q3 release notes"; several: any of them).
Nothing to look for (only operators or exclusions), empty or oversized: BAD_USER_INPUT.`,
      }),
      threadId: t.arg.id({ description: 'Only in this thread.' }),
      from: t.arg.id({ description: 'Only messages posted by this user (an id).' }),
      first: t.arg.int({ description: `How many (0–${SEARCH_PAGE.max}); default ${SEARCH_PAGE.default}.` }),
      after: t.arg.string({ description: "A cursor (an edge's, or pageInfo.endCursor): the results after it." }),
    },
    resolve: async (_root, args, ctx): Promise<ConnectionShape<SearchResultShape>> => {
      const { db } = ctx.services;
      const started = performance.now();
      let outcome: 'ok' | 'refused' | 'failed' = 'ok';
      try {
        const viewer = await ctx.viewer();
        await ctx.services.rateLimits.consume('searchesPerClient', viewer ? `user:${viewer.id}` : `address:${ctx.clientAddress}`);
        const query = parseSearchQuery(args.query);
        const first = pageSize(args.first, 'first', SEARCH_PAGE.default, SEARCH_PAGE.max);
        const after = decodeSearchCursor(args.after);
        const page = await searchMessages(db, {
          query,
          first,
          ...(args.threadId != null ? { threadId: validate.uuid(String(args.threadId), 'threadId') } : {}),
          ...(args.from != null ? { authorId: validate.uuid(String(args.from), 'from') } : {}),
          ...(after ? { after } : {}),
        });
        const byId = new Map((await messagesByIds(db, page.hits.map((h) => h.messageId))).map((m) => [m.id, m]));
        // Deleted between the two reads: left out, as it would have been a moment later.
        const edges = page.hits.flatMap((hit) => {
          const message = byId.get(hit.messageId);
          if (!message || message.deletedAt !== null) return [];
          return [{ cursor: encodeSearchCursor(hit.cursor), node: { message, snippet: snippetOf(message.body, query.terms), score: hit.score, position: hit.position } }];
        });
        return {
          edges,
          pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: page.hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        };
      } catch (error) {
        outcome = error instanceof ThrdsError && error.code !== 'UNAVAILABLE' ? 'refused' : 'failed';
        throw error;
      } finally {
        const seconds = (performance.now() - started) / 1000;
        searched(seconds, outcome, db.dialect);
        if (seconds * 1000 >= SLOW_SEARCH_MS) log.warn({ durationMs: Math.round(seconds * 1000), store: db.dialect, outcome, correlationId: ctx.correlationId }, 'slow search');
      }
    },
  }),
);
