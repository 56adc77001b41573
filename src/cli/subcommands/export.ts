/** `thrds export [FILE]`: the log as JSON lines, streamed, in its stored form, to FILE or standard output. */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { exportLog } from '../../audit/exportLog.ts';
import { booleanFlag, positionFlag } from '../args.ts';
import { type Command, progressFor, wantsJson } from '../subcommand.ts';
import { ExitCode } from '../exitCodes.ts';
import { newFile } from '../newFile.ts';
import { openExisting, using } from '../openStore.ts';
import { LineWriter } from '../output.ts';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the log as JSON lines to FILE or standard output (stored form, streaming)',
  description: [
    'Writes every event up to the head found at the start, in position order, one JSON object a line',
    '(format in the README: position a decimal string, recordedAt ISO-8601, data and metadata as',
    "stored, and an erasable event's content, or null once erased). Memory stays constant whatever the",
    'size of the log. FILE appears only once complete and',
    'is never overwritten without --force. `thrds import` reads it back. Read-only.',
  ].join('\n'),
  args: [{ name: 'FILE', optional: true, description: 'where to write; `-` or none: standard output' }],
  flags: {
    after: { kind: 'string', value: 'P', description: 'only the events after this position', default: '0, the whole log' },
    force: { kind: 'boolean', description: 'replace FILE if it exists' },
  },
  json: 'with FILE, print a summary object {"file","events"}; the lines themselves are JSON already',
  examples: [
    ['thrds export log.jsonl', 'the whole log into log.jsonl'],
    ['thrds export --after 1000 | gzip > tail.jsonl.gz', 'what follows position 1000, compressed'],
    ['thrds export --db sqlite:./old.db - | thrds import --db mysql://thrds:secret@db/thrds', 'move a log between stores'],
  ],
  exitCodes: { 1: null, 2: 'bad usage, or FILE exists (without --force) or its directory does not' },
  async run(args) {
    const after = positionFlag(args, 'after');
    const file = args.positionals[0] === '-' ? undefined : args.positionals[0];
    const target = file === undefined ? undefined : newFile(file, booleanFlag(args, 'force'));
    const db = await openExisting(args);
    const progress = progressFor(args, 'export');
    const options = { ...(after === undefined ? {} : { after }), onProgress: (done: number, total: number) => progress.update(done, total) };
    if (!target) {
      const count = await using(db, (db) => exportLog(db, new LineWriter(process.stdout), options));
      progress.finish(count);
      return ExitCode.ok;
    }
    const out = createWriteStream(target.temporary, { flags: 'wx' });
    let count: number;
    try {
      count = await using(db, (db) => exportLog(db, new LineWriter(out), options));
      out.end();
      await finished(out);
      await target.publish();
    } catch (error) {
      out.destroy();
      await target.discard();
      throw error;
    }
    progress.finish(count);
    if (wantsJson(args)) console.log(JSON.stringify({ file: target.target, events: count }));
    else console.log(`exported ${count} events to ${file}`);
    return ExitCode.ok;
  },
};
