/**
 * `thrds events`: prints events as JSON lines. Pages follow the head: each
 * round reads log_head first and then only positions up to it, and every
 * position up to the head has committed, so `--follow` never skips a late
 * commit and never prints an event twice.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { lineFromEvent } from '../../audit/eventLine.ts';
import { SqlEventStore } from '../../events/sqlEventStore.ts';
import { upcast } from '../../events/upcast.ts';
import { booleanFlag, positionFlag, stringFlag } from '../args.ts';
import { type Command, commonFlags, openExisting, using } from '../command.ts';
import { LineWriter } from '../output.ts';

const PAGE = 1000;

export const eventsCommand: Command = {
  summary: 'print events as JSON lines; --follow keeps tailing the log',
  usage: '[--after P] [--until P] [--stream ID] [--type T[,T…]] [--follow] [--upcast] [--poll-ms N]',
  flags: { ...commonFlags, after: 'string', until: 'string', stream: 'string', type: 'string', follow: 'boolean', upcast: 'boolean', 'poll-ms': 'string' },
  async run(args) {
    const after = positionFlag(args, 'after') ?? 0;
    const until = positionFlag(args, 'until');
    const streamId = stringFlag(args, 'stream');
    const types = stringFlag(args, 'type')?.split(',').filter((t) => t !== '');
    const follow = booleanFlag(args, 'follow');
    const show = booleanFlag(args, 'upcast') ? upcast : (e: Parameters<typeof upcast>[0]) => e;
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
      const store = new SqlEventStore(db);
      let last = after;
      while (!stopped) {
        const head = (await store.head()).position;
        const upTo = until === undefined ? head : Math.min(head, until);
        while (last < upTo && !stopped) {
          const page = await store.readAll({ ...filter, after: last, until: upTo, limit: PAGE });
          for (const event of page) await out.line(lineFromEvent(show(event)));
          last = page.length === PAGE ? page.at(-1)!.position : upTo;
        }
        await out.flush();
        if (!follow || (until !== undefined && last >= until)) break;
        await sleep(pollMs);
      }
    });
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    return 0;
  },
};
