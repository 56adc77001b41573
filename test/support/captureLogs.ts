/**
 * Reads back what the server logs: every line from now on, parsed (they are
 * JSON), until `stop()`. The level is lowered for the capture (default
 * `debug`) so a test sees request lines too.
 */
import type { LevelWithSilent } from 'pino';
import { sendLogsTo, setLogLevel } from '../../src/observability/log.ts';

export interface LogLine {
  readonly time: string;
  readonly level: string;
  readonly msg: string;
  readonly requestId?: string;
  readonly code?: string;
  readonly err?: { readonly message: string; readonly stack?: string };
  readonly [key: string]: unknown;
}

export interface CapturedLogs {
  readonly lines: LogLine[];
  /** Lines at these levels or above (`warn` → warn, error, fatal). */
  atLeast(level: 'debug' | 'info' | 'warn' | 'error'): LogLine[];
  stop(): void;
}

const ORDER = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export function captureLogs(level: LevelWithSilent = 'debug'): CapturedLogs {
  const lines: LogLine[] = [];
  const restore = sendLogsTo({ write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const previous = setLogLevel(level);
  return {
    lines,
    atLeast: (min) => lines.filter((line) => ORDER.indexOf(line.level) >= ORDER.indexOf(min)),
    stop() {
      restore();
      setLogLevel(previous);
    },
  };
}
