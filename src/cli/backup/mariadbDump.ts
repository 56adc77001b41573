/**
 * A MariaDB/MySQL store's backup: `mariadb-dump --single-transaction` (or
 * `mysqldump`), one consistent InnoDB snapshot taken without locking the
 * tables, so the server keeps appending while it runs. The dump names no
 * database: load it into any empty one with the `mariadb` client.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CliError } from '../exitCodes.ts';

const TOOLS = ['mariadb-dump', 'mysqldump'];

/** The first dump tool on PATH, or undefined. */
export function findDumpTool(path = process.env.PATH ?? ''): string | undefined {
  for (const tool of TOOLS) {
    for (const dir of path.split(delimiter).filter((d) => d !== '')) {
      const file = join(dir, tool);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not in this directory: look in the next
      }
    }
  }
  return undefined;
}

export interface DumpTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export function dumpTargetOf(url: string): DumpTarget {
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
  };
}

/** Dumps the database into `file`; returns the tool's path. */
export async function dumpMariadb(target: DumpTarget, file: string): Promise<string> {
  const tool = findDumpTool();
  if (!tool) {
    throw new CliError(
      'neither mariadb-dump nor mysqldump is on PATH: install the MariaDB client (e.g. apt-get install mariadb-client), or back up with mariabackup (see the README)',
    );
  }
  const args = [
    '--single-transaction',
    '--quick',
    '--triggers',
    '--hex-blob',
    '--default-character-set=utf8mb4',
    '--protocol=TCP',
    `--host=${target.host}`,
    `--port=${target.port}`,
    `--user=${target.user}`,
    `--result-file=${file}`,
    '--',
    target.database,
  ];
  // The password goes through the environment, never the command line (which `ps` shows to everyone).
  const env = { ...process.env, ...(target.password ? { MYSQL_PWD: target.password } : {}) };
  const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new CliError(`${tool} failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
  return tool;
}
