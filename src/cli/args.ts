/**
 * The command line, checked against what the command declares: `--name
 * value`, `--name=value`, boolean `--flag`, one-letter `-q`, positionals,
 * and `--` before positionals that start with a dash. A typo is a usage
 * error (with the nearest known spelling), never a silently ignored option.
 */
import { UsageError } from './exitCodes.ts';
import { closest } from './suggest.ts';

export type FlagKind = 'string' | 'boolean';

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly description: string;
  /** The value's name in help, e.g. `P`, `URL`, `FILE`. */
  readonly value?: string;
  /** The default as help shows it. */
  readonly default?: string;
  /** Other spellings: a longer or shorter name (`db`) or one letter (`q` for `-q`). */
  readonly aliases?: readonly string[];
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** By canonical name, whatever spelling was used. */
  readonly flags: ReadonlyMap<string, string | true>;
}

/** `--db` → `database-url`, `-q` → `quiet`: each spelling to its flag's canonical name. */
function spellings(specs: FlagSpecs): Map<string, string> {
  const names = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    names.set(`--${name}`, name);
    for (const alias of spec.aliases ?? []) names.set(alias.length === 1 ? `-${alias}` : `--${alias}`, name);
  }
  return names;
}

/** The flag an argument names (`--db=x` → `database-url`), or undefined when it is not a known one. */
export function flagNamed(arg: string, specs: FlagSpecs): { name: string; spec: FlagSpec; inlineValue: string | undefined } | undefined {
  const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
  const spelled = eq === -1 ? arg : arg.slice(0, eq);
  const name = spellings(specs).get(spelled);
  if (name === undefined) return undefined;
  return { name, spec: specs[name]!, inlineValue: eq === -1 ? undefined : arg.slice(eq + 1) };
}

export function isOption(arg: string): boolean {
  return arg.startsWith('-') && arg !== '-';
}

export function parseArgs(argv: readonly string[], specs: FlagSpecs): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!isOption(arg)) {
      positionals.push(arg);
      continue;
    }
    const flag = flagNamed(arg, specs);
    if (!flag) throw unknownOption(arg, specs);
    const spelled = arg.split('=')[0]!;
    if (flag.spec.kind === 'boolean') {
      if (flag.inlineValue !== undefined) throw new UsageError(`${spelled} takes no value`);
      flags.set(flag.name, true);
      continue;
    }
    const value = flag.inlineValue ?? argv[++i];
    if (value === undefined || (flag.inlineValue === undefined && isOption(value) && value !== '-')) throw new UsageError(`${spelled} needs a value (${flag.spec.value ?? 'VALUE'})`);
    flags.set(flag.name, value);
  }
  return { positionals, flags };
}

function unknownOption(arg: string, specs: FlagSpecs): UsageError {
  const spelled = arg.split('=')[0]!;
  const near = closest(spelled, [...spellings(specs).keys()]);
  return new UsageError(`unknown option ${spelled}${near ? ` (did you mean ${near}?)` : ''}`);
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags.get(name) === true;
}

/** A log position: a whole number ≥ 0. */
export function positionFlag(args: ParsedArgs, name: string): number | undefined {
  const value = stringFlag(args, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(`--${name} must be a position (a whole number ≥ 0), got ${value}`);
  return Number(value);
}
