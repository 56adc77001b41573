/**
 * `thrds verify`: walks the hash chain and the position sequence; exit 1 at
 * the first bad position. Then checks the stored files the log refers to.
 */
import { AttachmentRefs } from '../../audit/attachmentRefs.ts';
import { checkFiles, type FileCheckResult, problemJson, problemLines } from '../../audit/fileCheck.ts';
import { verifyLog, type VerifyResult } from '../../audit/verifyLog.ts';
import type { Database } from '../../db/database.ts';
import { MAX_WORKERS, MIN_PARALLEL_EVENTS } from '../../audit/logWorkers.ts';
import { booleanFlag, type ParsedArgs, stringFlag } from '../args.ts';
import { type Command, databaseUrl, progressFor, wantsJson } from '../subcommand.ts';
import { ExitCode, UsageError } from '../exitCodes.ts';
import { fileStoreOf, filesDirFlag, plural } from '../filesOptions.ts';
import { openExisting, using } from '../openStore.ts';

/** What the erasures come to, in one line (README, "Deletion that erases"). */
function erasureLine({ erased, erasing, unerasable }: VerifyResult['erasures']): string {
  const kept = unerasable === 0 ? '' : `; ${unerasable} deleted message event${unerasable === 1 ? '' : 's'} from before erasable content keep their text (tombstoned in the read models)`;
  return `erasures: ${erased} event${erased === 1 ? '' : 's'} carry erased content, erased by ${erasing} event${erasing === 1 ? '' : 's'}${kept}`;
}

/** The file check in lines: none at all for a log without attachments beside a store without files. */
function fileLines(files: FileCheckResult, dir: string): string[] {
  const { attachments, checked, problems, unreferenced } = files;
  if (attachments === 0 && unreferenced.files === 0) return [];
  const lines: string[] = [];
  const of = `${plural(checked, 'file')} of ${plural(attachments, 'attachment')}`;
  if (problems.length === 0) lines.push(`files: ${of} verified in ${dir}`);
  else {
    const missing = problems.filter((p) => p.kind === 'missing').length;
    lines.push(`FAILED files: ${missing} missing, ${problems.length - missing} altered, of ${of} in ${dir}`);
    lines.push(...problemLines(problems));
  }
  if (unreferenced.files > 0) {
    lines.push(
      `files: ${plural(unreferenced.files, 'stored file')} (${plural(unreferenced.bytes, 'byte')}) referred to by no message: uploads not posted, or bytes of deleted messages not removed yet (the server's sweep removes them)`,
    );
  }
  return lines;
}

function workersFlag(args: ParsedArgs): number | undefined {
  const value = stringFlag(args, 'workers');
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_WORKERS) throw new UsageError(`--workers must be a whole number from 1 to ${MAX_WORKERS}, got ${value}`);
  return n;
}

/** Whether the message still holds its attachments: one deleted while the check ran had its bytes removed, rightly. */
function stillReferred(db: Database) {
  return async ({ position }: { position: number }) => {
    const [row] = await db.query<{ content: string | null }>('SELECT content FROM events WHERE position = ?', [position]);
    return row !== undefined && row.content !== null;
  };
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check every hash and position of the log, and the files it refers to; exit 1 at the first bad one',
  description: [
    'Walks the log in position order up to the head found at the start (appends may go on meanwhile),',
    "checking that positions run 1, 2, 3… without a gap and that every event's hash chains from the one",
    'before it, then that the head row agrees; and that erasable content (a message\'s text) matches the',
    'salted digest its hash commits to, that erased content was erased by a later event of the log, and',
    'that no content erased by one is still there. Prints `ok: N events verified` with the head hash and',
    'the erasures found, or `FAILED at position P: <kind>: <detail>` for the first bad event (kinds:',
    'edited, missing, reordered, head-mismatch, unauthorised-erasure, not-erased).',
    '',
    'Then the files: every attachment (and thumbnail) of every message not deleted must be in the file',
    'store, its bytes hashing to the SHA-256 the log holds. Prints `files: N files of M attachments',
    'verified`, or `FAILED files:` and a line for each missing or altered one (digest, attachment,',
    "message). A deleted message's digests are erased with its text, so bytes of it still stored count",
    'among the stored files no message refers to: a number, not a failure. A log without attachments',
    'beside an empty (or missing) folder prints nothing about files; --no-files skips the files.',
    '',
    'Read-only: it never creates or changes a store or a folder.',
  ].join('\n'),
  args: [],
  flags: {
    'files-dir': filesDirFlag,
    'no-files': { kind: 'boolean', description: 'check the log only, not the files it refers to (hashing every stored byte takes a while)' },
    workers: {
      kind: 'string',
      value: 'N',
      description: `check the log on N threads at once, 1 to ${MAX_WORKERS} (1: on one thread); a log of ${MIN_PARALLEL_EVENTS.toLocaleString('en-US')} events or more is checked on every core for SQLite, half of them for MariaDB, unless N is given`,
    },
  },
  json: [
    'print one object: {"ok":true|false,"count":N,"head":{"position":N,"hash":"…"},"erasures":{"erased":N,"erasing":N,"unerasable":N},"finding"?:{"kind","position","detail"},',
    '"files"?:{"dir","attachments":N,"checked":N,"problems":[{"kind":"missing"|"altered","sha256","attachmentId","messageId","position","role","uses","actual"?}],',
    '"unreferenced":{"files":N,"bytes":N}}} (files only when there are attachments or stored files)',
  ].join(''),
  examples: [
    ['thrds verify', 'check the embedded store (sqlite:./data/thrds.db) and its files (./data/files)'],
    ['thrds verify --db mysql://thrds:secret@127.0.0.1:3306/thrds --files-dir /var/lib/thrds/files --json', 'check a MariaDB store and its files, the result as JSON'],
    ['thrds verify -q && echo intact', 'use the exit code in a script'],
  ],
  exitCodes: {
    0: 'the log and its files check out',
    1: 'the log failed its check (the first bad position and what is wrong are printed), or a file it refers to is missing or altered',
  },
  async run(args) {
    const { dir, store } = fileStoreOf(args);
    const progress = progressFor(args, 'verify');
    const refs = booleanFlag(args, 'no-files') ? undefined : new AttachmentRefs();
    const workers = workersFlag(args);
    const { result, files } = await using(await openExisting(args), async (db) => {
      const result = await verifyLog(db, {
        ...(refs ? { files: refs } : {}),
        onProgress: (done, total) => progress.update(done, total),
        parallel: { url: databaseUrl(args), ...(workers === undefined ? {} : { workers }) },
      });
      progress.finish(result.count, result.finding ? ', stopped at the first bad event' : '');
      if (!refs) return { result, files: undefined };
      const files = await checkFiles(refs, store, { stillReferred: stillReferred(db) });
      return { result, files };
    });
    const filesShown = files !== undefined && (files.attachments > 0 || files.unreferenced.files > 0);
    const ok = !result.finding && (files?.problems.length ?? 0) === 0;
    if (wantsJson(args)) {
      const filesJson = files && { dir, attachments: files.attachments, checked: files.checked, problems: files.problems.map(problemJson), unreferenced: files.unreferenced };
      console.log(
        JSON.stringify({
          ok,
          count: result.count,
          head: result.head,
          erasures: result.erasures,
          ...(result.finding ? { finding: result.finding } : {}),
          ...(filesShown ? { files: filesJson } : {}),
        }),
      );
    } else {
      if (result.finding) {
        const f = result.finding;
        console.log(`FAILED at position ${f.position}: ${f.kind}: ${f.detail}`);
      } else {
        console.log(`ok: ${result.count} events verified; head position ${result.head.position}, hash ${result.head.hash}`);
        console.log(erasureLine(result.erasures));
      }
      for (const line of files ? fileLines(files, dir) : []) console.log(line);
    }
    return ok ? ExitCode.ok : ExitCode.checkFailed;
  },
};
