/** What every subcommand declares (for parsing and for its help), and the options they all share. */
import { DEFAULT_DATABASE_URL } from '../db/openDatabase.ts';
import { booleanFlag, type FlagSpecs, type ParsedArgs, stringFlag } from './args.ts';
import type { ExitCode } from './exitCodes.ts';
import { createProgress, type Progress } from './progress.ts';

export interface ArgumentSpec {
  /** As help shows it, e.g. `FILE`. */
  readonly name: string;
  readonly description: string;
  readonly optional?: boolean;
  /** Takes any number (zero or more when optional). */
  readonly variadic?: boolean;
}

export interface Command {
  readonly name: string;
  /** One line, for the command list. */
  readonly summary: string;
  /** What it does in more words, for its own help. */
  readonly description: string;
  readonly args: readonly ArgumentSpec[];
  /** Its own options (the global ones are added). */
  readonly flags: FlagSpecs;
  /** What `--json` does for this command. */
  readonly json: string;
  readonly examples: ReadonlyArray<readonly [command: string, what: string]>;
  /** What an exit code means for this command where it says more than the general meaning; null: never exits with it. */
  readonly exitCodes: Partial<Record<ExitCode, string | null>>;
  /** Resolves to the exit code; an expected failure throws a CliError. */
  run(args: ParsedArgs): Promise<number>;
}

/** Accepted before or after the subcommand. */
export const globalFlags: FlagSpecs = {
  'database-url': {
    kind: 'string',
    value: 'URL',
    aliases: ['db'],
    description: 'the store: sqlite:<file> or mysql://user:pass@host:3306/db',
    default: `$DATABASE_URL, else ${DEFAULT_DATABASE_URL}`,
  },
  json: { kind: 'boolean', description: 'machine-readable output (see the command for what it prints)' },
  quiet: { kind: 'boolean', aliases: ['q'], description: 'no progress lines on standard error' },
  help: { kind: 'boolean', aliases: ['h'], description: 'print this help and exit' },
  version: { kind: 'boolean', aliases: ['V'], description: 'print the version and exit' },
};

export function databaseUrl(args: ParsedArgs): string {
  return stringFlag(args, 'database-url') || process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

export function wantsJson(args: ParsedArgs): boolean {
  return booleanFlag(args, 'json');
}

export function progressFor(args: ParsedArgs, label: string): Progress {
  return createProgress({ label, quiet: booleanFlag(args, 'quiet') });
}
