/**
 * The `thrds` command: `thrds [options] <command> [options] [arguments]`,
 * global options before or after the command. Exit codes: exitCodes.ts
 * (0 done, 1 a check failed, 2 bad usage, 3 cannot open the store, 4 any
 * other failure).
 */
import { flagNamed, isOption, parseArgs, type ParsedArgs } from './args.ts';
import { type Command, globalFlags } from './subcommand.ts';
import { commands } from './commandList.ts';
import { CliError, ExitCode, UsageError } from './exitCodes.ts';
import { commandHelp, mainHelp } from './help.ts';
import { closest } from './suggest.ts';
import { packageVersion } from './version.ts';
import { sendLogsTo } from '../observability/log.ts';

function commandNamed(name: string): Command {
  const command = commands.find((c) => c.name === name);
  if (command) return command;
  const near = closest(name, [...commands.map((c) => c.name), 'help']);
  throw new UsageError(`unknown command '${name}'${near ? ` (did you mean '${near}'?)` : ''}`);
}

/** Where the command's name is: the first argument that is neither a global option nor its value. */
function commandIndex(argv: readonly string[]): number | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (!isOption(arg)) return i;
    const flag = flagNamed(arg, globalFlags);
    // Not a global option: parsing the words before the command reports it.
    if (!flag) return undefined;
    if (flag.spec.kind === 'string' && flag.inlineValue === undefined) i += 1;
  }
  return undefined;
}

/** `--help` or `-h` anywhere (before a `--`) asks for help, whatever else is wrong with the line. */
function asksFor(argv: readonly string[], ...spellings: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => spellings.includes(arg));
}

function checkArguments(command: Command, args: ParsedArgs): void {
  const specs = command.args;
  const { positionals } = args;
  if (!specs.some((a) => a.variadic) && positionals.length > specs.length) throw new UsageError(`unexpected argument '${positionals[specs.length]}'`);
  const required = specs.filter((a) => !a.optional).length;
  if (positionals.length < required) throw new UsageError(`missing argument ${specs[positionals.length]!.name}`);
}

let command: Command | undefined;

/** Runs the command line and resolves to the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  try {
    const at = commandIndex(argv);
    const name = at === undefined ? undefined : argv[at]!;
    const rest = at === undefined ? argv : [...argv.slice(0, at), ...argv.slice(at + 1)];
    if (asksFor(rest, '--version', '-V')) {
      console.log(packageVersion());
      return ExitCode.ok;
    }
    if (name === undefined) {
      parseArgs(rest, globalFlags);
      console.log(mainHelp(commands));
      return asksFor(rest, '--help', '-h') ? ExitCode.ok : ExitCode.usage;
    }
    if (name === 'help') {
      const { positionals } = parseArgs(rest, globalFlags);
      if (positionals.length > 1) throw new UsageError(`help takes one command, got '${positionals.join(' ')}'`);
      console.log(positionals[0] === undefined ? mainHelp(commands) : commandHelp(commandNamed(positionals[0])));
      return ExitCode.ok;
    }
    command = commandNamed(name);
    // Stdout is the command's output (`thrds export > file`): the server's log lines go to stderr, but for `serve`, whose output they are.
    if (command.name !== 'serve') sendLogsTo(process.stderr);
    if (asksFor(rest, '--help', '-h')) {
      console.log(commandHelp(command));
      return ExitCode.ok;
    }
    const args = parseArgs(rest, { ...globalFlags, ...command.flags });
    checkArguments(command, args);
    return await command.run(args);
  } catch (error) {
    const who = command ? `thrds ${command.name}` : 'thrds';
    if (error instanceof UsageError) {
      console.error(`${who}: ${error.message}\nRun '${who} --help' for usage.`);
      return error.exitCode;
    }
    if (error instanceof CliError) {
      console.error(`${who}: ${error.message}`);
      return error.exitCode;
    }
    console.error(`${who}: failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    if (process.env.THRDS_DEBUG) console.error(error);
    return ExitCode.failed;
  }
}

// A closed pipe (`thrds export | head`) is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await main(process.argv.slice(2));
// The server leaves timers and pools to the process's end (also when it failed to start); every other command closes what it opened.
if (command?.name === 'serve') process.exit(code);
process.exitCode = code;
