/** `thrds stats`: events by type, streams, the head, and each projection's checkpoint and lag. */
import { logStats } from '../../audit/logStats.ts';
import { booleanFlag } from '../args.ts';
import { type Command, commonFlags, openExisting, using } from '../command.ts';

export const statsCommand: Command = {
  summary: 'events by type, streams, head position, projection checkpoints and their lag',
  usage: '[--json]',
  flags: { ...commonFlags, json: 'boolean' },
  async run(args) {
    const stats = await using(await openExisting(args), logStats);
    if (booleanFlag(args, 'json')) {
      console.log(JSON.stringify(stats));
      return 0;
    }
    const lines = [
      `head       position ${stats.head.position}, hash ${stats.head.hash}`,
      `events     ${stats.events}`,
      `streams    ${stats.streams}`,
      'by type',
      ...stats.byType.map((t) => `  ${t.type.padEnd(24)} ${t.count}`),
      'projections',
      ...stats.projections.map((p) => `  ${p.name.padEnd(24)} at ${p.position}, lag ${p.lag}`),
    ];
    console.log(lines.join('\n'));
    return 0;
  },
};
