/**
 * Which database failures are outages rather than bugs: the database is
 * unreachable, out of space, busy or overloaded. Those become UNAVAILABLE
 * (retryable); anything else (a constraint, bad SQL) stays what it is.
 */
import { UnavailableError, type UnavailableReason } from '../errors.ts';

const MYSQL_UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
]);
const MYSQL_BUSY = new Set(['ER_LOCK_WAIT_TIMEOUT', 'ER_LOCK_DEADLOCK', 'ER_OUT_OF_RESOURCES', 'ER_OUTOFMEMORY', 'ER_STATEMENT_TIMEOUT']);
const MYSQL_FULL = new Set(['ER_DISK_FULL', 'ER_RECORD_FILE_FULL', 'ER_ERROR_ON_WRITE', 'ER_TRANS_CACHE_FULL']);

const MESSAGES: Record<UnavailableReason, string> = {
  database_unreachable: 'The database is unreachable',
  database_timeout: 'The database did not answer in time',
  database_full: 'The database is out of space',
  database_busy: 'The database is busy',
  pool_exhausted: 'Every database connection is in use',
  queue_full: 'Too many writes are waiting',
  shutting_down: 'The server is shutting down',
};

/** The reason an error is an outage, or undefined when it is not one. */
export function outageReason(error: unknown): UnavailableReason | undefined {
  if (error instanceof UnavailableError) return error.reason;
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'database_busy';
    if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' && /disk|space/i.test(error.message)) return 'database_full';
    if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') return 'database_unreachable';
    if (MYSQL_FULL.has(code)) return 'database_full';
    if (MYSQL_BUSY.has(code)) return 'database_busy';
    if (MYSQL_UNREACHABLE.has(code)) return 'database_unreachable';
  }
  if ((error as { fatal?: unknown }).fatal === true) return 'database_unreachable';
  if (error.message === 'Pool is closed.') return 'shutting_down';
  if (error.message === 'Queue limit reached.' || error.message === 'No connections available.') return 'pool_exhausted';
  if (error.message === 'The database connection is not open') return 'shutting_down';
  return undefined;
}

/** `error` as UNAVAILABLE when it is an outage, else as it is. */
export function asUnavailable(error: unknown): unknown {
  if (error instanceof UnavailableError) return error;
  const reason = outageReason(error);
  if (reason === undefined) return error;
  const code = (error as { code?: unknown }).code;
  return new UnavailableError(`${MESSAGES[reason]}${typeof code === 'string' ? ` (${code})` : ''}; try again shortly`, reason, { cause: error });
}
