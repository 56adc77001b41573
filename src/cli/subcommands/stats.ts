/** `thrds stats`: events by type, streams, the head, and each projection's checkpoint and lag. */
import { logStats } from '../../audit/logStats.ts';
import { type Command, wantsJson } from '../subcommand.ts';
import { ExitCode } from '../exitCodes.ts';
import { openExisting, using } from '../openStore.ts';

export const statsCommand: Command = {
  name: 'stats',
  summary: 'events by type, streams, head position, projection checkpoints and their lag',
  description: 'Counts what the log holds and how far each read model trails its head. Read-only.',
  args: [],
  flags: {},
  json: 'print one object: {"head":{"position","hash"},"events","streams","byType":[{"type","count"}],"projections":[{"name","position","lag"}]}',
  examples: [
    ['thrds stats', 'the embedded store'],
    ['thrds stats --json --db mysql://thrds:secret@127.0.0.1:3306/thrds', 'a MariaDB store, as JSON'],
  ],
  exitCodes: { 1: null },
  async run(args) {
    const stats = await using(await openExisting(args), logStats);
    if (wantsJson(args)) {
      console.log(JSON.stringify(stats));
      return ExitCode.ok;
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
    return ExitCode.ok;
  },
};
