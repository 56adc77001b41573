/** `thrds verify`: walks the hash chain and the position sequence; exit 1 at the first bad position. */
import { verifyLog } from '../../audit/verifyLog.ts';
import { booleanFlag } from '../args.ts';
import { type Command, commonFlags, openExisting, progressFor, using } from '../command.ts';

export const verifyCommand: Command = {
  summary: 'check every hash and position of the log; exit 1 at the first bad one',
  usage: '[--json]',
  flags: { ...commonFlags, json: 'boolean' },
  async run(args) {
    const progress = progressFor(args, 'verify');
    const result = await using(await openExisting(args), (db) => verifyLog(db, { onProgress: (done, total) => progress.update(done, total) }));
    progress.finish(result.count, result.finding ? ', stopped at the first bad event' : '');
    if (booleanFlag(args, 'json')) {
      console.log(JSON.stringify({ ok: !result.finding, count: result.count, head: result.head, ...(result.finding ? { finding: result.finding } : {}) }));
    } else if (result.finding) {
      const f = result.finding;
      console.log(`FAILED at position ${f.position}: ${f.kind}: ${f.detail}`);
    } else {
      console.log(`ok: ${result.count} events verified; head position ${result.head.position}, hash ${result.head.hash}`);
    }
    return result.finding ? 1 : 0;
  },
};
