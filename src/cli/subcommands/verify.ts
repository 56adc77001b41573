/** `thrds verify`: walks the hash chain and the position sequence; exit 1 at the first bad position. */
import { verifyLog, type VerifyResult } from '../../audit/verifyLog.ts';
import { type Command, progressFor, wantsJson } from '../subcommand.ts';
import { ExitCode } from '../exitCodes.ts';
import { openExisting, using } from '../openStore.ts';

/** What the erasures come to, in one line (README, "Deletion that erases"). */
function erasureLine({ erased, erasing, unerasable }: VerifyResult['erasures']): string {
  const kept = unerasable === 0 ? '' : `; ${unerasable} deleted message event${unerasable === 1 ? '' : 's'} from before erasable content keep their text (tombstoned in the read models)`;
  return `erasures: ${erased} event${erased === 1 ? '' : 's'} carry erased content, erased by ${erasing} event${erasing === 1 ? '' : 's'}${kept}`;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check every hash and position of the log; exit 1 at the first bad one',
  description: [
    'Walks the log in position order up to the head found at the start (appends may go on meanwhile),',
    "checking that positions run 1, 2, 3… without a gap and that every event's hash chains from the one",
    'before it, then that the head row agrees; and that erasable content (a message\'s text) matches the',
    'salted digest its hash commits to, that erased content was erased by a later event of the log, and',
    'that no content erased by one is still there. Prints `ok: N events verified` with the head hash and',
    'the erasures found, or `FAILED at position P: <kind>: <detail>` for the first bad event (kinds:',
    'edited, missing, reordered, head-mismatch, unauthorised-erasure, not-erased). Read-only: it never',
    'creates or changes a store.',
  ].join('\n'),
  args: [],
  flags: {},
  json: 'print one object: {"ok":true|false,"count":N,"head":{"position":N,"hash":"…"},"erasures":{"erased":N,"erasing":N,"unerasable":N},"finding"?:{"kind","position","detail"}}',
  examples: [
    ['thrds verify', 'check the embedded store (sqlite:./data/thrds.db)'],
    ['thrds verify --db mysql://thrds:secret@127.0.0.1:3306/thrds --json', 'check a MariaDB store, the result as JSON'],
    ['thrds verify -q && echo intact', 'use the exit code in a script'],
  ],
  exitCodes: { 0: 'the log checks out', 1: 'the log failed its check: the first bad position and what is wrong are printed' },
  async run(args) {
    const progress = progressFor(args, 'verify');
    const result = await using(await openExisting(args), (db) => verifyLog(db, { onProgress: (done, total) => progress.update(done, total) }));
    progress.finish(result.count, result.finding ? ', stopped at the first bad event' : '');
    if (wantsJson(args)) {
      console.log(
        JSON.stringify({ ok: !result.finding, count: result.count, head: result.head, erasures: result.erasures, ...(result.finding ? { finding: result.finding } : {}) }),
      );
    } else if (result.finding) {
      const f = result.finding;
      console.log(`FAILED at position ${f.position}: ${f.kind}: ${f.detail}`);
    } else {
      console.log(`ok: ${result.count} events verified; head position ${result.head.position}, hash ${result.head.hash}`);
      console.log(erasureLine(result.erasures));
    }
    return result.finding ? ExitCode.checkFailed : ExitCode.ok;
  },
};
