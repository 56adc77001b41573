/** The help texts, built from what the commands declare so they cannot drift from what is parsed. */
import type { FlagSpec, FlagSpecs } from './args.ts';
import { type Command, globalFlags } from './subcommand.ts';
import { type ExitCode, exitCodeMeaning } from './exitCodes.ts';

export function usageLine(command: Command): string {
  const args = command.args.map((a) => {
    const name = a.variadic ? `${a.name}…` : a.name;
    return a.optional ? `[${name}]` : name;
  });
  return ['usage: thrds', command.name, '[options]', ...args].join(' ');
}

function flagLabel(name: string, spec: FlagSpec): string {
  const value = spec.kind === 'string' ? ` ${spec.value ?? 'VALUE'}` : '';
  const short = (spec.aliases ?? []).filter((a) => a.length === 1).map((a) => `-${a}, `);
  const long = [name, ...(spec.aliases ?? []).filter((a) => a.length > 1)].map((n) => `--${n}${value}`);
  return `${short.join('')}${long.join(', ')}`;
}

function flagLines(specs: FlagSpecs): string[] {
  const rows = Object.entries(specs).map(([name, spec]) => [flagLabel(name, spec), spec.default === undefined ? spec.description : `${spec.description} (default: ${spec.default})`] as const);
  return table(rows);
}

function table(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.min(28, Math.max(...rows.map(([left]) => left.length)));
  return rows.map(([left, right]) => (left.length > width ? `  ${left}\n  ${''.padEnd(width)}  ${right}` : `  ${left.padEnd(width)}  ${right}`));
}

/** `thrds <command> --help` and `thrds help <command>`. */
export function commandHelp(command: Command): string {
  const { json, ...global } = globalFlags;
  const own: FlagSpecs = { ...command.flags, json: { ...json!, description: command.json } };
  const codes = (Object.keys(exitCodeMeaning).map(Number) as ExitCode[])
    .filter((code) => command.exitCodes[code] !== null)
    .map((code) => [String(code), command.exitCodes[code] ?? exitCodeMeaning[code]] as const);
  return [
    usageLine(command),
    '',
    command.description,
    ...(command.args.length > 0 ? ['', 'Arguments:', ...table(command.args.map((a) => [a.name, a.description]))] : []),
    '',
    'Options:',
    ...flagLines(own),
    '',
    'Global options (before or after the command):',
    ...flagLines(global),
    '',
    'Examples:',
    ...command.examples.flatMap(([line, what]) => [`  ${line}`, `      ${what}`]),
    '',
    'Exit codes:',
    ...codes.map(([code, meaning]) => `  ${code}  ${meaning}`),
  ].join('\n');
}

/** `thrds --help`, `thrds help`, and `thrds` alone. */
export function mainHelp(commands: readonly Command[]): string {
  return [
    'usage: thrds [options] <command> [options] [arguments]',
    '',
    "Operate a Thrds event log: serve it, check it, read it, move it, back it up.",
    '',
    'Commands:',
    ...table([...commands.map((c) => [c.name, c.summary] as const), ['help', 'print the help of a command: thrds help <command>']]),
    '',
    'Global options (before or after the command):',
    ...flagLines(globalFlags),
    '',
    'Examples:',
    '  thrds verify --db sqlite:./data/thrds.db',
    '  thrds --db mysql://thrds:secret@127.0.0.1:3306/thrds export log.jsonl',
    '  thrds help import',
    '',
    'Exit codes:',
    ...(Object.entries(exitCodeMeaning) as Array<[string, string]>).map(([code, meaning]) => `  ${code}  ${meaning}`),
    '',
    'The store is --database-url, else $DATABASE_URL, else sqlite:./data/thrds.db.',
    '`thrds <command> --help` lists its options, examples and exit codes.',
  ].join('\n');
}
