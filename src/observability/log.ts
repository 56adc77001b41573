/**
 * The process's one logger (pino): a JSON object per line with `time`
 * (ISO-8601), `level` (its name), `msg`, and on a request's lines its
 * `requestId` (a child logger, see requestId.ts); pretty-printed instead
 * when stdout is a terminal. `LOG_LEVEL` picks the threshold (default
 * `info`; `silent` turns logging off).
 *
 * Lines go through a forwarding destination, so `sendLogsTo` can redirect
 * every logger already made: tests read the lines back, and the CLI sends
 * them to stderr where they cannot mix with what it prints on stdout.
 */
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Level, type LevelWithSilent, type Logger } from 'pino';
import { ThrdsError } from '../errors.ts';

export type { Logger } from 'pino';

const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** `LOG_LEVEL`'s value as a level; undefined when it names none. */
export function levelFrom(value: string | undefined): LevelWithSilent | undefined {
  if (value === undefined || value === '') return 'info';
  const level = value.trim().toLowerCase();
  return LEVELS.find((known) => known === level);
}

function standardOutput(): DestinationStream {
  // Synchronous writes: a line logged just before process.exit() is not lost.
  if (!process.stdout.isTTY) return pino.destination({ dest: 1, sync: true });
  // Loaded only for a terminal: a server under a process manager never needs it.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l' });
}

let destination: DestinationStream | undefined;
const forward: DestinationStream = {
  write(line: string) {
    destination ??= standardOutput();
    destination.write(line);
  },
};

const configured = levelFrom(process.env.LOG_LEVEL);

export const log: Logger = pino(
  {
    level: configured ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    base: { pid: process.pid },
  },
  forward,
);

if (configured === undefined) log.warn(`LOG_LEVEL=${process.env.LOG_LEVEL} is not one of ${LEVELS.join(', ')}: logging at info`);

/**
 * Sends every log line, from now on, to `stream` (`process.stderr`, or a
 * test's collector). Returns a function that puts the previous destination back.
 */
export function sendLogsTo(stream: DestinationStream): () => void {
  const previous = destination;
  destination = stream;
  return () => {
    destination = previous;
  };
}

/** The root logger's threshold, changed for the whole process (tests); returns the previous one. */
export function setLogLevel(level: LevelWithSilent): LevelWithSilent {
  const previous = log.level as LevelWithSilent;
  log.level = level;
  return previous;
}

/** UNAVAILABLE's reason (errors.ts), when `error` carries one. */
export function reasonOf(error: unknown): string | undefined {
  const reason = (expectedFailure(error) as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** The ThrdsError behind `error` (GraphQL wraps what resolvers throw), if it is one. */
export function expectedFailure(error: unknown): ThrdsError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof ThrdsError) return current;
    current = (current as { originalError?: unknown }).originalError ?? current.cause;
  }
  return undefined;
}

/**
 * Logs a failed request the way its kind deserves. An expected failure (a
 * refusal or an outage: a ThrdsError, UNAVAILABLE included) is one line with
 * its `code` and no stack, at `debug`: an outage is reported once, with a
 * count, by dependencyLog.ts, not once per request. Anything else is a bug:
 * `error`, with the stack.
 */
export function logFailure(logger: Logger, error: unknown, message: string, level: Level = 'debug'): void {
  const expected = expectedFailure(error);
  const reason = reasonOf(expected);
  if (expected) logger[level]({ code: expected.code, ...(reason === undefined ? {} : { reason }) }, `${message}: ${expected.message}`);
  else logger.error({ err: error }, message);
}
