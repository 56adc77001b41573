/**
 * Search: p50/p99 of Query.search's work (the index query, the message
 * rows, the snippets) over 1,000,000 messages (20,000 under --quick) on
 * SQLite FTS5 and MariaDB InnoDB FULLTEXT, each beside a plain
 * `body LIKE '%word%'` scan of the messages table in the same run, newest 20
 * first, as a search without an index would do it. The read models are
 * filled directly (bulk INSERTs, no events), the MariaDB FULLTEXT index
 * built after the fill. THRDS_BENCH_SEARCH_MESSAGES overrides the count;
 * THRDS_BENCH_SEARCH_STORE=sqlite or mariadb runs one store only.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../src/db/database.ts';
import { BULK_TIMEOUT_MS } from '../src/db/deadline.ts';
import { migrate } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/openDatabase.ts';
import { valuesList } from '../src/db/sqlFragments.ts';
import { messagesByIds } from '../src/projections/messagesQueries.ts';
import { searchMessages } from '../src/search/searchMessages.ts';
import { parseSearchQuery } from '../src/search/searchQuery.ts';
import { snippetOf } from '../src/search/snippet.ts';
import { Histogram } from './support/histogram.ts';
import { renderTable } from './support/table.ts';
import { type ScratchDatabase, scratchMysqlDatabase, scratchSqliteDatabase } from './support/scratchDatabases.ts';
import type { BenchModule, BenchRow } from './types.ts';

/** Planted words, each in a known share of messages, and the queries asked. */
const PLANTED = [
  { word: 'zephyrine', every: 10_000 },
  { word: 'harbour', every: 100 },
  { word: 'meeting', every: 10 },
] as const;
const QUERIES = ['zephyrine', 'harbour', 'meeting', 'harbour meeting', 'harb*'];
/** The LIKE equivalent of each query (a prefix is a substring here). */
const LIKE_WORDS: Record<string, readonly string[]> = {
  zephyrine: ['zephyrine'],
  harbour: ['harbour'],
  meeting: ['meeting'],
  'harbour meeting': ['harbour', 'meeting'],
  'harb*': ['harb'],
};
const PAGE = 20;
const CHUNK = 1000;

/** A deterministic vocabulary and bodies of 6–20 of its words (Zipf-like: low indexes far more often). */
function bodies(): (i: number) => string {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'qu', 'do', 'fe', 'gi', 'ho', 'ju'];
  const vocabulary = Array.from({ length: 8000 }, (_, n) => syllables[n % 16]! + syllables[Math.floor(n / 16) % 16]! + syllables[Math.floor(n / 256) % 16]! + (n >= 4096 ? 'r' : ''));
  let seed = 14;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return (i) => {
    const words = Array.from({ length: 6 + Math.floor(random() * 15) }, () => vocabulary[Math.floor(vocabulary.length * random() ** 3)]!);
    for (const { word, every } of PLANTED) if (i % every === every - 1) words.splice(Math.floor(random() * words.length), 0, word);
    return words.join(' ');
  };
}

async function fill(db: Database, count: number): Promise<void> {
  const thread = randomUUID();
  const author = randomUUID();
  const body = bodies();
  if (db.dialect === 'mysql') await db.execute('ALTER TABLE message_search DROP INDEX message_search_body');
  for (let start = 0; start < count; start += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => ({ id: randomUUID(), position: start + k + 1, body: body(start + k) }));
    await db.transaction(async (tx) => {
      await tx.execute(
        `INSERT INTO messages (id, thread_id, author_id, body, posted_at, position, reply_to_id, format, edited_at, deleted_at) VALUES ${valuesList(10, rows.length)}`,
        rows.flatMap((r) => [r.id, thread, author, r.body, 1_700_000_000_000 + r.position, r.position, null, 'plain', null, null]),
      );
      await tx.execute(
        `INSERT INTO message_search (rowid, message_id, thread_id, author_id, body) VALUES ${valuesList(5, rows.length)}`,
        rows.flatMap((r) => [r.position, r.id, thread, author, r.body]),
      );
    }, { timeoutMs: 600_000 });
  }
  if (db.dialect === 'mysql') {
    await db.execute('ALTER TABLE message_search ADD FULLTEXT KEY message_search_body (body)');
    await db.query('ANALYZE TABLE message_search, messages');
  } else {
    await db.execute("INSERT INTO message_search (message_search) VALUES ('optimize')");
  }
  await db.execute('UPDATE log_head SET position = ? WHERE id = 1', [count]);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function searchPage(db: Database, text: string): Promise<number> {
  const query = parseSearchQuery(text);
  const page = await searchMessages(db, { query, first: PAGE });
  const messages = await messagesByIds(db, page.hits.map((h) => h.messageId));
  for (const message of messages) snippetOf(message.body, query.terms);
  return page.hits.length;
}

async function likePage(db: Database, text: string): Promise<number> {
  const words = LIKE_WORDS[text]!;
  const rows = await db.query(
    `SELECT id, body FROM messages WHERE ${words.map(() => 'body LIKE ?').join(' AND ')} AND deleted_at IS NULL ORDER BY position DESC LIMIT ?`,
    [...words.map((w) => `%${w}%`), PAGE],
  );
  return rows.length;
}

async function measureStore(label: string, scratch: ScratchDatabase, count: number, quick: boolean): Promise<BenchRow[]> {
  // The fill, the FULLTEXT build and a LIKE scan of a million rows on a busy machine may pass the 5 s request deadline.
  const db = await openDatabase(scratch.url, { timeoutMs: BULK_TIMEOUT_MS });
  try {
    await migrate(db);
    const fillMs = await timed(() => fill(db, count));
    console.error(`[search] ${label}: ${count} messages filled and indexed in ${(fillMs / 1000).toFixed(1)} s`);
    const searchRounds = quick ? 5 : 10;
    const likeRounds = 2;
    const search = new Histogram();
    const like = new Histogram();
    const perQuery: BenchRow[] = [];
    for (const q of QUERIES) {
      const searchOne = new Histogram();
      const likeOne = new Histogram();
      const found = await searchPage(db, q); // warms the cache
      const likeFound = await likePage(db, q);
      if (found !== likeFound) throw new Error(`${label}: search found ${found} for "${q}", LIKE ${likeFound}: the two must agree on the page size`);
      for (let r = 0; r < searchRounds; r++) {
        const ms = await timed(() => searchPage(db, q));
        search.record(ms);
        searchOne.record(ms);
      }
      for (let r = 0; r < likeRounds; r++) {
        const ms = await timed(() => likePage(db, q));
        like.record(ms);
        likeOne.record(ms);
      }
      const value = Number(searchOne.quantile(0.5).toFixed(2));
      const base = Number(likeOne.quantile(0.5).toFixed(2));
      perQuery.push({
        name: `search "${q}" p50, ${label}`,
        value,
        unit: 'ms',
        baseline: { name: `LIKE scan "${q}" p50, ${label}`, value: base },
        ratio: Number((value / base).toFixed(3)),
        note: `${found} on the page; LIKE stops at the newest ${PAGE} matches, search ranks every match`,
      });
    }
    const n = count.toLocaleString('en-US');
    const p = (h: Histogram, q: number) => Number(h.quantile(q / 100).toFixed(2));
    const rows = (pct: number, tag: string): BenchRow => {
      const value = p(search, pct);
      const base = p(like, pct);
      return {
        name: `search ${tag}, ${label}, ${n} messages`,
        value,
        unit: 'ms',
        baseline: { name: `LIKE '%word%' scan ${tag}, ${label}`, value: base },
        ratio: Number((value / base).toFixed(3)),
        note: `${search.count} searches / ${like.count} scans over ${QUERIES.length} queries (rare, 1%, 10%, two words, prefix), ${PAGE} per page; lower is better`,
      };
    };
    const result = [rows(50, 'p50'), rows(99, 'p99'), ...perQuery];
    console.error(renderTable(result));
    return result;
  } finally {
    await db.close();
    await scratch.drop();
  }
}

export const run: BenchModule = async ({ quick, mysqlUrl }) => {
  const count = Number(process.env.THRDS_BENCH_SEARCH_MESSAGES ?? (quick ? 20_000 : 1_000_000));
  const only = process.env.THRDS_BENCH_SEARCH_STORE;
  return [
    ...(only === 'mariadb' ? [] : await measureStore('SQLite', scratchSqliteDatabase(), count, quick)),
    ...(only === 'sqlite' ? [] : await measureStore('MariaDB', scratchMysqlDatabase(mysqlUrl), count, quick)),
  ];
};
