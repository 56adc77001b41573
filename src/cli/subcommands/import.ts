/**
 * `thrds import [FILE]`: loads an exported log into an empty store,
 * checking every hash as it goes, then builds the read models up to it.
 * With `--with-files DIR`, the files its messages refer to go from DIR
 * into the file store, verified, before the log commits.
 */
import { statSync } from 'node:fs';
import type { FileStore } from '../../attachments/attachmentTypes.ts';
import { openFolderFileStore } from '../../attachments/folderFileStore.ts';
import { AttachmentRefs } from '../../audit/attachmentRefs.ts';
import { copyFiles } from '../../audit/copyFiles.ts';
import { BadLineError } from '../../audit/eventLine.ts';
import { problemLines } from '../../audit/fileCheck.ts';
import { importLog, ImportRefusedError } from '../../audit/importLog.ts';
import { rebuildProjections } from '../../projections/rebuild.ts';
import { type ParsedArgs, stringFlag } from '../args.ts';
import { type Command, progressFor, wantsJson } from '../subcommand.ts';
import { CheckFailedError, ExitCode, UsageError } from '../exitCodes.ts';
import { fileStoreOf, filesDirFlag, plural } from '../filesOptions.ts';
import { openInput } from '../inputFile.ts';
import { openMigrated, using } from '../openStore.ts';
import { readLineBatches } from '../readLines.ts';

/** `--with-files DIR`, checked before any store is touched: a folder that exists. */
function withFilesDir(args: ParsedArgs): string | undefined {
  const dir = stringFlag(args, 'with-files');
  if (dir === undefined) return undefined;
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read files from ${dir}: ${code === 'ENOENT' ? 'no such directory' : (error as Error).message}`);
  }
  if (!isDirectory) throw new UsageError(`cannot read files from ${dir}: it is not a directory`);
  return dir;
}

/**
 * Puts the files the log refers to from DIR into the store: all checked
 * first, so a missing or altered one refuses the import with the store and
 * the file store untouched; then copied (checked again as they are read).
 * Files this run added are removed again if the import fails after all.
 */
function fileCopier(refs: AttachmentRefs, dir: string, target: FileStore) {
  const source = openFolderFileStore(dir);
  const created: string[] = [];
  return {
    created,
    async copy(): Promise<{ copied: number; bytes: number }> {
      const checked = await copyFiles(refs, source, target, { write: false });
      const copied = checked.problems.length > 0 ? checked : await copyFiles(refs, source, target, { onCreated: (sha) => created.push(sha) });
      if (copied.problems.length === 0) return { copied: copied.copied, bytes: copied.bytes };
      const head = `refused: ${plural(copied.problems.length, 'file')} the log refers to missing or altered in ${dir}:`;
      throw new ImportRefusedError([head, ...problemLines(copied.problems)].join('\n'));
    },
    async undo(): Promise<void> {
      for (const sha of created.splice(0)) await target.remove(sha);
    },
  };
}

/** How many of the files the log refers to the store does not hold. */
async function missingFrom(store: FileStore, refs: AttachmentRefs): Promise<number> {
  let missing = 0;
  for (const ref of refs) if (!(await store.stat(ref.sha256))) missing += 1;
  return missing;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'load a JSON-lines log (FILE or standard input) into an empty store, checking every hash',
  description: [
    'Reads a log written by `thrds export` (this format, or the first one with numeric positions and',
    'epoch-millisecond times) into an empty store, in one transaction: every position and hash is',
    'checked as it streams in, and every erasable content against its digest (erased content must have',
    'been erased by a later event); the first bad line rolls everything back. Then builds the read',
    'models up to the imported head. Creates the store when it is missing.',
    '',
    'With --with-files DIR (written by `thrds export --with-files`), every file the messages refer to is',
    'read from DIR and checked against its SHA-256, then put into the file store (--files-dir), before',
    'the log commits. A missing or altered file refuses the import: nothing is written to the store',
    'or the file store. Files this run added are removed again should the import fail later. Files',
    'in DIR that no message refers to are left out. Without --with-files, a log whose messages refer',
    'to files the file store does not hold is imported with a warning (`thrds verify` lists them).',
  ].join('\n'),
  args: [{ name: 'FILE', optional: true, description: 'the log to read; `-` or none: standard input' }],
  flags: {
    'with-files': { kind: 'string', value: 'DIR', description: 'also put the files the log refers to from DIR into the file store, verified' },
    'files-dir': filesDirFlag,
  },
  json: 'print one object: {"imported":N,"head":{"position":N,"hash":"…"},"files"?:{"dir","copied":N,"bytes":N}}',
  examples: [
    ['thrds import log.jsonl --db mysql://thrds:secret@127.0.0.1:3306/thrds', 'load a file into a new MariaDB database'],
    ['gunzip -c log.jsonl.gz | thrds import', 'from standard input'],
    ['thrds import log.jsonl --with-files ./export-files --files-dir /var/lib/thrds/files', 'the log and the bytes of its attachments'],
  ],
  exitCodes: {
    1: 'the input was refused (a bad line, a broken chain, two events with one event id or stream version, a store that is not empty, or with --with-files a missing or altered file); nothing was imported',
    2: 'bad usage, or FILE cannot be read',
    3: 'cannot open or create the store',
  },
  async run(args) {
    const filesDir = withFilesDir(args);
    const input = await openInput(args.positionals[0]);
    const target = fileStoreOf(args);
    const { db } = await openMigrated(args, { mustExist: false });
    return using(db, async () => {
      const progress = progressFor(args, 'import');
      const refs = new AttachmentRefs();
      const copier = filesDir === undefined ? undefined : fileCopier(refs, filesDir, target.store);
      let copied: { copied: number; bytes: number } | undefined;
      let head;
      try {
        head = await importLog(db, readLineBatches(input.stream), {
          files: refs,
          onProgress: (done) => progress.update(done),
          ...(copier
            ? {
                beforeCommit: async () => {
                  copied = await copier.copy();
                },
              }
            : {}),
        });
      } catch (error) {
        await copier?.undo();
        if (error instanceof ImportRefusedError || error instanceof BadLineError) throw new CheckFailedError(`${error.message}; nothing was imported`);
        throw error;
      }
      progress.finish(head.position);
      if (!copier && refs.size > 0) {
        const missing = await missingFrom(target.store, refs);
        if (missing > 0) {
          console.error(`import: warning: ${plural(missing, 'file')} the log refers to ${missing === 1 ? 'is' : 'are'} not in ${target.dir}: import them with --with-files DIR (\`thrds verify\` lists them)`);
        }
      }
      // The read models are empty: building them like a rebuild (large pages, then one swap) is the fast way up to the head.
      const projecting = progressFor(args, 'projections');
      const built = await rebuildProjections(db, { pageSize: 5000, onProgress: (position, at) => projecting.update(position, at) });
      projecting.finish(built.events);
      const files = copied && filesDir !== undefined ? { dir: filesDir, ...copied } : undefined;
      if (wantsJson(args)) console.log(JSON.stringify({ imported: head.position, head, ...(files ? { files } : {}) }));
      else {
        const carried = files ? `; put ${plural(files.copied, 'file')} (${plural(files.bytes, 'byte')}) into ${target.dir}` : '';
        console.log(`imported ${head.position} events; head position ${head.position}, hash ${head.hash}${carried}; read models caught up`);
      }
      return ExitCode.ok;
    });
  },
};
