/** The file store a command reads or fills (`--files-dir`), and the files folder an export writes or an import reads (`--with-files`). */
import { DEFAULT_FILES_DIR, openFolderFileStore } from '../attachments/folderFileStore.ts';
import type { FileStore } from '../attachments/attachmentTypes.ts';
import { type FlagSpec, type ParsedArgs, stringFlag } from './args.ts';

export const filesDirFlag: FlagSpec = {
  kind: 'string',
  value: 'DIR',
  description: "the file store: the folder holding the attachments' bytes, as the server uses it",
  default: `$THRDS_FILES_DIR, else ${DEFAULT_FILES_DIR}`,
};

/** The folder of the file store, and the store (opening it creates nothing). */
export function fileStoreOf(args: ParsedArgs): { dir: string; store: FileStore } {
  const dir = stringFlag(args, 'files-dir') || process.env.THRDS_FILES_DIR || DEFAULT_FILES_DIR;
  return { dir, store: openFolderFileStore(dir) };
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
