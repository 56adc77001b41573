/**
 * What `thrds` exits with, and the failures that choose it. A script can
 * tell "the log is bad" (1) from "you called me wrong" (2) from "there is
 * no store there" (3) from anything else going wrong at run time (4).
 */
export const ExitCode = {
  /** Done. */
  ok: 0,
  /** A check failed: `verify` found a bad hash, position or head; `import` refused its input. */
  checkFailed: 1,
  /** Bad usage: an unknown command or option, an unexpected or missing argument, a bad value, a FILE that cannot be used. */
  usage: 2,
  /** Cannot open the store: a bad database URL, no SQLite file or MariaDB database there, the server refuses, or no event log in it. */
  storeUnavailable: 3,
  /** Any other failure at run time: the database lost mid-way, a full disk, a missing dump tool. */
  failed: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The code's one-line meaning, as `--help` lists it. */
export const exitCodeMeaning: Readonly<Record<ExitCode, string>> = {
  0: 'done',
  1: 'a check failed (the log, or the input, is not what it should be)',
  2: 'bad usage: unknown command or option, unexpected or missing argument, bad value, unusable FILE',
  3: 'cannot open the store: bad URL, no such SQLite file or MariaDB database, connection refused, or no event log in it',
  4: 'any other failure at run time (database lost mid-way, disk full, missing tool)',
};

/** An expected failure: one clear line on standard error, then its exit code. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failed,
  ) {
    super(message);
  }
}

/** The command line itself is wrong; the message is followed by a pointer to `--help`. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** The store named by the database URL cannot be opened, or holds no event log. */
export class StoreOpenError extends CliError {
  override readonly name = 'StoreOpenError';
  constructor(message: string) {
    super(message, ExitCode.storeUnavailable);
  }
}

/** A check failed: the message says where. */
export class CheckFailedError extends CliError {
  override readonly name = 'CheckFailedError';
  constructor(message: string) {
    super(message, ExitCode.checkFailed);
  }
}
