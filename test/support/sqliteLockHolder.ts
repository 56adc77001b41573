/**
 * Another process holding a SQLite database's write lock: node with this
 * repository's better-sqlite3 opens the file, takes `BEGIN IMMEDIATE` and keeps
 * it until released (or until `holdMs` passes), as a backup job or a second
 * writer would.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const SCRIPT = `
const Database = require(process.env.BETTER_SQLITE3);
const db = new Database(process.env.DB_PATH, { timeout: 10000 });
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\\n');
const release = () => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); process.exit(0); };
setTimeout(release, Number(process.env.HOLD_MS)); // the lock held for HOLD_MS is the outage under test
process.stdin.on('data', release);
process.stdin.on('end', release);
`;

export class SqliteLockHolder {
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {}

  /** Resolves once the lock is held. `path` is the SQLite file (not the `sqlite:` URL). */
  static async hold(path: string, holdMs: number): Promise<SqliteLockHolder> {
    const child = spawn(process.execPath, ['-e', SCRIPT], {
      env: { ...process.env, BETTER_SQLITE3: require.resolve('better-sqlite3'), DB_PATH: path, HOLD_MS: String(holdMs) },
      stdio: 'pipe',
    });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const locked = new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('locked')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before locking: ${err}`)));
    });
    await locked;
    return new SqliteLockHolder(child);
  }

  /** Commits and exits; resolves once the process is gone (the lock is free). */
  async release(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.stdin.end('release\n');
    await exited;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

/** The file path of a `sqlite:` DATABASE_URL. */
export function sqlitePath(url: string): string {
  return url.slice('sqlite:'.length).replace(/^\/\//, '');
}
