/**
 * `thrds export [FILE]`: the log as JSON lines, streamed, in its stored form,
 * to FILE or standard output; with `--with-files DIR`, the bytes of every
 * file the exported messages refer to, copied into DIR and verified.
 */
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { openFolderFileStore } from '../../attachments/folderFileStore.ts';
import { AttachmentRefs } from '../../audit/attachmentRefs.ts';
import { copyFiles, type CopyResult } from '../../audit/copyFiles.ts';
import { exportLog } from '../../audit/exportLog.ts';
import { problemLines } from '../../audit/fileCheck.ts';
import { booleanFlag, type ParsedArgs, positionFlag, stringFlag } from '../args.ts';
import { type Command, progressFor, wantsJson } from '../subcommand.ts';
import { CheckFailedError, ExitCode, UsageError } from '../exitCodes.ts';
import { fileStoreOf, filesDirFlag, plural } from '../filesOptions.ts';
import { newFile } from '../newFile.ts';
import { openExisting, using } from '../openStore.ts';
import { LineWriter } from '../output.ts';

/** `--with-files DIR`, checked at once: DIR is a folder, or can be made as one in a folder that exists. */
function withFilesDir(args: ParsedArgs): string | undefined {
  const dir = stringFlag(args, 'with-files');
  if (dir === undefined) return undefined;
  const target = resolve(dir);
  if (existsSync(target) ? !statSync(target).isDirectory() : !existsSync(dirname(target))) {
    throw new UsageError(`cannot write files into ${dir}: ${existsSync(target) ? 'it is not a directory' : `directory ${dirname(target)} does not exist`}`);
  }
  return target;
}

/** Copies the files the export refers to into DIR (made when missing); missing or altered ones fail the export. */
async function copyInto(dir: string, refs: AttachmentRefs, args: ParsedArgs): Promise<CopyResult> {
  const source = fileStoreOf(args);
  await mkdir(dir, { recursive: true });
  const copied = await copyFiles(refs, source.store, openFolderFileStore(dir));
  if (copied.problems.length > 0) {
    const head = `${plural(copied.problems.length, 'file')} the log refers to cannot be exported from ${source.dir} (see \`thrds verify\`):`;
    throw new CheckFailedError([head, ...problemLines(copied.problems)].join('\n'));
  }
  return copied;
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the log as JSON lines to FILE or standard output (stored form, streaming)',
  description: [
    'Writes every event up to the head found at the start, in position order, one JSON object a line',
    '(format in the README: position a decimal string, recordedAt ISO-8601, data and metadata as',
    "stored, and an erasable event's content, or null once erased). Memory stays constant whatever the",
    'size of the log. FILE appears only once complete and',
    'is never overwritten without --force. `thrds import` reads it back. Read-only.',
    '',
    'Attachments travel in the log as metadata (name, type, size, SHA-256), never as bytes. With',
    '--with-files DIR the bytes of every file the exported messages refer to (not those of deleted',
    'messages) are copied from the file store into DIR (made when missing; files already there stay),',
    'in the same content-addressed layout, each checked against its digest; `thrds import --with-files',
    'DIR` puts them back. A missing or altered file fails the export (exit 1, and FILE is not written).',
  ].join('\n'),
  args: [{ name: 'FILE', optional: true, description: 'where to write; `-` or none: standard output' }],
  flags: {
    after: { kind: 'string', value: 'P', description: 'only the events after this position', default: '0, the whole log' },
    force: { kind: 'boolean', description: 'replace FILE if it exists' },
    'with-files': { kind: 'string', value: 'DIR', description: 'also copy the bytes of every file the exported messages refer to into DIR, verified' },
    'files-dir': filesDirFlag,
  },
  json: 'with FILE, print a summary object {"file","events","files"?:{"dir","copied":N,"bytes":N}}; the lines themselves are JSON already',
  examples: [
    ['thrds export log.jsonl', 'the whole log into log.jsonl'],
    ['thrds export --after 1000 | gzip > tail.jsonl.gz', 'what follows position 1000, compressed'],
    ['thrds export --db sqlite:./old.db - | thrds import --db mysql://thrds:secret@db/thrds', 'move a log between stores'],
    ['thrds export log.jsonl --with-files ./export-files', 'the log and the bytes of its attachments, for `thrds import --with-files`'],
  ],
  exitCodes: {
    1: 'with --with-files: a file the log refers to is missing or altered in the file store (listed); FILE is not written',
    2: 'bad usage, or FILE exists (without --force) or its directory does not, or DIR cannot be made',
  },
  async run(args) {
    const after = positionFlag(args, 'after');
    const file = args.positionals[0] === '-' ? undefined : args.positionals[0];
    const target = file === undefined ? undefined : newFile(file, booleanFlag(args, 'force'));
    const filesDir = withFilesDir(args);
    const refs = filesDir === undefined ? undefined : new AttachmentRefs();
    const db = await openExisting(args);
    const progress = progressFor(args, 'export');
    const options = {
      ...(after === undefined ? {} : { after }),
      ...(refs ? { files: refs } : {}),
      onProgress: (done: number, total: number) => progress.update(done, total),
    };
    if (!target) {
      const count = await using(db, (db) => exportLog(db, new LineWriter(process.stdout), options));
      progress.finish(count);
      if (filesDir !== undefined && refs) {
        const copied = await copyInto(filesDir, refs, args);
        if (!booleanFlag(args, 'quiet')) console.error(`export: copied ${plural(copied.copied, 'file')} (${plural(copied.bytes, 'byte')}) to ${filesDir}`);
      }
      return ExitCode.ok;
    }
    const out = createWriteStream(target.temporary, { flags: 'wx' });
    let count: number;
    let copied: CopyResult | undefined;
    try {
      count = await using(db, (db) => exportLog(db, new LineWriter(out), options));
      out.end();
      await finished(out);
      // FILE appears only with its files: a failed copy leaves no log that needs them.
      if (filesDir !== undefined && refs) copied = await copyInto(filesDir, refs, args);
      await target.publish();
    } catch (error) {
      out.destroy();
      await target.discard();
      throw error;
    }
    progress.finish(count);
    const files = copied && filesDir !== undefined ? { dir: filesDir, copied: copied.copied, bytes: copied.bytes } : undefined;
    if (wantsJson(args)) console.log(JSON.stringify({ file: target.target, events: count, ...(files ? { files } : {}) }));
    else console.log(`exported ${count} events to ${file}${files ? `; copied ${plural(files.copied, 'file')} (${plural(files.bytes, 'byte')}) to ${files.dir}` : ''}`);
    return ExitCode.ok;
  },
};
