/**
 * The command line by clig.dev, through the real command: --version,
 * `thrds help <cmd>` identical to `thrds <cmd> --help` and complete (every
 * flag with a description, examples, exit codes), global options before or
 * after the command, and usage errors (unknown command, option or
 * argument; a missing argument) that exit 2 with one clear line and a
 * pointer to --help. None of these touch a store.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandHelp } from '../../src/cli/help.ts';
import { commands as allCommands } from '../../src/cli/commandList.ts';
import { runThrds } from './support/runThrds.ts';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Every command and the options its help must list (besides the global ones). */
const commands: Record<string, string[]> = {
  serve: ['--port N', '--host H', '--json'],
  migrate: ['--json'],
  events: ['--after P', '--until P', '--stream ID', '--type T[,T…]', '-f, --follow', '--upcast', '--poll-ms N', '--json'],
  export: ['--after P', '--force', '--with-files DIR', '--files-dir DIR', '--json'],
  import: ['--with-files DIR', '--files-dir DIR', '--json'],
  verify: ['--files-dir DIR', '--no-files', '--workers N', '--json'],
  backup: ['--force', '--json'],
  rebuild: ['--page-size N', '--json'],
  stats: ['--json'],
  admin: ['--json'],
  bot: ['--username NAME', '--json'],
};
const globalOptions = ['--database-url URL, --db URL', '-q, --quiet', '-h, --help', '-V, --version'];

/** Runs the command lines in parallel (each is its own process). */
const runAll = (lines: string[][]) => Promise.all(lines.map((line) => runThrds(line)));

describe('thrds --version', () => {
  it('prints the package version and exits 0, as --version, -V, and after a command', async () => {
    for (const run of await runAll([['--version'], ['-V'], ['verify', '--version']])) {
      expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('runs from the TypeScript sources too, as bin/thrds.js does in a development install (the other tests run the compiled CLI)', async () => {
    expect(await runThrds(['--version'], { bin: 'sources' })).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const bad = await runThrds(['verify', '--workers', '9'], { bin: 'sources' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--workers');
  });
});

describe('thrds help', () => {
  it('knows the commands this test checks, and no others', () => {
    expect(allCommands.map((c) => c.name).sort()).toEqual(Object.keys(commands).sort());
  });

  it('lists every command with the global options, examples and exit codes', async () => {
    const [help, dashed, bare] = await runAll([['help'], ['--help'], []]);
    expect(help!.code).toBe(0);
    expect(dashed).toEqual(help);
    for (const name of [...Object.keys(commands), 'help']) expect(help!.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    for (const option of globalOptions) expect(help!.stdout).toContain(option);
    expect(help!.stdout).toContain('Examples:');
    for (const code of [0, 1, 2, 3, 4]) expect(help!.stdout).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
    // With nothing to do it still helps, but says so in its exit code.
    expect(bare).toEqual({ ...help, code: 2 });
  });

  it.each(Object.entries(commands))('%s --help has its usage, description, every flag described, examples and exit codes', (name, options) => {
    const command = allCommands.find((c) => c.name === name)!;
    const text = commandHelp(command);
    expect(text).toMatch(new RegExp(`^usage: thrds ${name} \\[options\\]`));
    // Every flag the parser accepts is in the help…
    const declared = Object.keys(command.flags).length + 1; // and --json, described per command
    expect(options.length).toBe(declared);
    for (const option of [...options, ...globalOptions]) {
      const line = text.split('\n').find((l) => l.startsWith(`  ${option} `));
      expect(line, `${name} --help lists ${option}`).toBeDefined();
      // …with a description after it.
      expect(line!.slice(2 + option.length).trim().length, `${option} is described`).toBeGreaterThan(10);
    }
    const examples = text.slice(text.indexOf('\nExamples:\n'), text.indexOf('\nExit codes:\n'));
    expect(examples.match(/^ {2}thrds /gm)?.length ?? 0).toBeGreaterThanOrEqual(1);
    const codes = text.slice(text.indexOf('\nExit codes:\n'));
    for (const code of [0, 2]) expect(codes).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
  });

  it.each([['export'], ['verify'], ['backup']])('help %s prints exactly what the command prints for --help and -h, even on a line that is otherwise wrong', async (name) => {
    const [help, dashed, short, anywhere] = await runAll([['help', name], [name, '--help'], [name, '-h'], ['--db', 'sqlite:/nonexistent/x.db', name, '--bogus', 'extra', '-h']]);
    expect(help).toEqual({ code: 0, stdout: `${commandHelp(allCommands.find((c) => c.name === name)!)}\n`, stderr: '' });
    expect(dashed).toEqual(help);
    expect(short).toEqual(help);
    // --help wins over anything else wrong on the line, and opens no store.
    expect(anywhere).toEqual(help);
  });

  it('shows defaults with the flags that have one', async () => {
    const run = await runThrds(['help', 'events']);
    expect(run.stdout).toMatch(/--poll-ms N +with --follow, how often to look for new events \(default: 200\)/);
    expect(run.stdout).toMatch(/--database-url URL, --db URL[\s\S]*\(default: \$DATABASE_URL, else sqlite:\.\/data\/thrds\.db\)/);
  });

  it('names the exit codes that tell a failed check from a store that cannot be opened', async () => {
    const run = await runThrds(['help', 'verify']);
    expect(run.stdout).toMatch(/^ {2}1 {2}the log failed its check/m);
    expect(run.stdout).toMatch(/^ {2}3 {2}cannot open the store/m);
  });

  it('refuses help for an unknown command, or for two, with exit 2', async () => {
    const [unknown, two] = await runAll([['help', 'exprot'], ['help', 'export', 'import']]);
    expect(unknown).toEqual({ code: 2, stdout: '', stderr: "thrds: unknown command 'exprot' (did you mean 'export'?)\nRun 'thrds --help' for usage.\n" });
    expect(two!.code).toBe(2);
    expect(two!.stderr).toContain("help takes one command, got 'export import'");
  });
});

describe.concurrent('usage errors exit 2 with one clear line and a pointer to --help', () => {
  it.each([
    [['frobnicate'], "thrds: unknown command 'frobnicate'"],
    [['verfy'], "thrds: unknown command 'verfy' (did you mean 'verify'?)"],
    [['verify', 'junk'], "thrds verify: unexpected argument 'junk'"],
    [['stats', 'now'], "thrds stats: unexpected argument 'now'"],
    [['export', 'a.jsonl', 'b.jsonl'], "thrds export: unexpected argument 'b.jsonl'"],
    [['import', 'a.jsonl', 'b.jsonl'], "thrds import: unexpected argument 'b.jsonl'"],
    [['backup'], 'thrds backup: missing argument FILE'],
    [['verify', '--jsn'], 'thrds verify: unknown option --jsn (did you mean --json?)'],
    [['verify', '--json=yes'], 'thrds verify: --json takes no value'],
    [['events', '--after'], 'thrds events: --after needs a value (P)'],
    [['events', '--after', 'ten'], 'thrds events: --after must be a position (a whole number ≥ 0), got ten'],
    [['--bogus', 'verify'], 'thrds: unknown option --bogus'],
    [['--after', '3', 'events'], 'thrds: unknown option --after'],
  ])('%j', async (line, message) => {
    const run = await runThrds(line);
    const who = message.slice(0, message.indexOf(':'));
    expect(run.stderr).toBe(`${message}\nRun '${who} --help' for usage.\n`);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });
});

describe('global options', () => {
  it('are accepted before or after the command, in both spellings, = or space', async () => {
    const url = 'sqlite:/nonexistent/thrds-cli-test.db';
    const lines = [
      ['--database-url', url, 'stats'],
      ['--db', url, 'stats'],
      [`--db=${url}`, '-q', 'stats', '--json'],
      ['stats', '--db', url],
      ['--json', 'stats', `--database-url=${url}`, '--quiet'],
    ];
    for (const run of await runAll(lines)) {
      // Each reached the store it was given (and found none there): the option was taken, wherever it stood.
      expect(run.stderr).toBe('thrds stats: no SQLite database at /nonexistent/thrds-cli-test.db; nothing was created\n');
      expect(run.code).toBe(3);
    }
  });

  it('take $DATABASE_URL when --database-url is not given', async () => {
    const run = await runThrds(['verify'], { env: { DATABASE_URL: 'sqlite:/nonexistent/from-env.db' } });
    expect(run.stderr).toContain('no SQLite database at /nonexistent/from-env.db');
    expect(run.code).toBe(3);
  });
});
