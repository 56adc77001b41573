/**
 * `thrds events`: prints events as JSON lines. Pages follow the head: each
 * round reads log_head first and then only positions up to it, and every
 * position up to the head has committed, so `--follow` never skips a late
 * commit and never prints an event twice.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { lineFromEvent } from '../../audit/eventLine.ts';
import { SqlEventStore } from '../../events/sqlEventStore.ts';
import { upcast } from '../../modules/index.ts';
import { booleanFlag, positionFlag, stringFlag } from '../args.ts';
import type { Command } from '../subcommand.ts';
import { ExitCode } from '../exitCodes.ts';
import { openExisting, using } from '../openStore.ts';
import { LineWriter } from '../output.ts';

const PAGE = 1000;

export const eventsCommand: Command = {
  name: 'events',
  summary: 'print events as JSON lines; --follow keeps tailing the log',
  description: [
    'Prints events in position order, one JSON object a line, in the format of `thrds export` (see the',
    'README: position a decimal string, recordedAt ISO-8601), stored form unless --upcast. With --follow',
    'it keeps printing new events as they commit, each exactly once, until interrupted. Read-only.',
  ].join('\n'),
  args: [],
  flags: {
    after: { kind: 'string', value: 'P', description: 'start after this position', default: '0, the beginning' },
    until: { kind: 'string', value: 'P', description: 'stop at this position, included', default: 'the head' },
    stream: { kind: 'string', value: 'ID', description: 'only this stream, e.g. thread-<uuid> or user-<uuid>' },
    type: { kind: 'string', value: 'T[,T…]', description: 'only these event types, e.g. MessagePosted,ThreadCreated' },
    follow: { kind: 'boolean', aliases: ['f'], description: 'keep tailing the log until SIGINT or SIGTERM' },
    upcast: { kind: 'boolean', description: "print each event in today's schema version instead of as stored" },
    'poll-ms': { kind: 'string', value: 'N', description: 'with --follow, how often to look for new events', default: '200' },
  },
  json: 'no effect: the output is JSON lines already',
  examples: [
    ['thrds events --after 100 --until 200', 'positions 101 to 200'],
    ['thrds events --type MessagePosted --follow', 'every new message as it is posted'],
    ["thrds events --stream thread-<uuid> | jq -r .data.body", "one thread's messages, bodies only"],
  ],
  exitCodes: { 1: null },
  async run(args) {
    const after = positionFlag(args, 'after') ?? 0;
    const until = positionFlag(args, 'until');
    const streamId = stringFlag(args, 'stream');
    const types = stringFlag(args, 'type')?.split(',').filter((t) => t !== '');
    const follow = booleanFlag(args, 'follow');
    // The store hands out today's shape; without --upcast this tool shows what is stored.
    const stored = !booleanFlag(args, 'upcast');
    const pollMs = positionFlag(args, 'poll-ms') ?? 200;
    const filter = { ...(streamId === undefined ? {} : { streamId }), ...(types === undefined ? {} : { types }) };

    let stopped = false;
    const stop = () => {
      stopped = true;
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);

    const out = new LineWriter(process.stdout, follow ? 1 : 1 << 20);
    await using(await openExisting(args), async (db) => {
      const store = new SqlEventStore(db, { upcast });
      let last = after;
      while (!stopped) {
        const head = (await store.head()).position;
        const upTo = until === undefined ? head : Math.min(head, until);
        while (last < upTo && !stopped) {
          const page = await store.readAll({ ...filter, after: last, until: upTo, limit: PAGE, stored });
          for (const event of page) await out.line(lineFromEvent(event));
          last = page.length === PAGE ? page.at(-1)!.position : upTo;
        }
        await out.flush();
        if (!follow || (until !== undefined && last >= until)) break;
        await sleep(pollMs);
      }
    });
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    return ExitCode.ok;
  },
};
