/**
 * A MariaDB server of the test's own (`mariadbd` on a free port with its own
 * data directory), for tests that stop, kill or starve the database. The
 * shared instance on 3306 is never touched.
 *
 * `mariadb-install-db` runs once per test file into a template directory;
 * every instance starts from a copy of it. Root has no password (tcp, 127.0.0.1).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from './freePort.ts';
import { ServiceProcess } from './serviceProcess.ts';

const run = promisify(execFile);

/** Small files: an instance's data directory fits a small tmpfs (~80 MB). */
const INNODB_SIZES = ['--innodb-log-file-size=4M', '--innodb-data-file-path=ibdata1:4M:autoextend'];

let template: Promise<string> | undefined;
let templateRoot: string | undefined;
/** Instances not yet disposed: the template goes with the last one (vitest's workers skip 'exit' handlers). */
let instances = 0;

/** Why own MariaDB instances cannot run here, or undefined when they can. */
export async function ownMariadbUnavailable(): Promise<string | undefined> {
  try {
    await run('mariadbd', ['--version']);
    // Only looked up: mariadb-install-db has no harmless flag (--help exits 1, --version installs).
    await run('sh', ['-c', 'command -v mariadb-install-db']);
    return undefined;
  } catch (error) {
    return `mariadbd / mariadb-install-db not runnable: ${String(error)}`;
  }
}

function templateDir(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thrds-mariadb-template-'));
    const datadir = join(dir, 'data');
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--user=root',
      ...INNODB_SIZES,
    ]);
    templateRoot = dir;
    return datadir;
  })();
  return template;
}

export interface OwnMariadbOptions {
  /** Where the data directory goes (e.g. a small tmpfs); a fresh temporary directory by default. */
  readonly parentDir?: string;
  /** A member of a replication pair (ownReplicaPair.ts): a binary log (ROW, GTID) under this server id; a replica is also read-only. */
  readonly replication?: { readonly serverId: number; readonly role: 'primary' | 'replica' };
}

export class OwnMariadb {
  private readonly process = new ServiceProcess('mariadbd');

  private constructor(
    readonly port: number,
    readonly datadir: string,
    private readonly workdir: string,
    private readonly ownsWorkdir: boolean,
    private readonly replication: OwnMariadbOptions['replication'],
  ) {}

  static async start(options: OwnMariadbOptions = {}): Promise<OwnMariadb> {
    instances += 1;
    const ownsWorkdir = options.parentDir === undefined;
    const workdir = options.parentDir ?? mkdtempSync(join(tmpdir(), 'thrds-mariadb-'));
    const instance = new OwnMariadb(await freePort(), join(workdir, 'data'), workdir, ownsWorkdir, options.replication);
    try {
      cpSync(await templateDir(), instance.datadir, { recursive: true });
      await instance.start();
      return instance;
    } catch (error) {
      await instance.dispose();
      throw error;
    }
  }

  /** mysql://root@127.0.0.1:<port> (append `/<database>`). */
  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}`;
  }

  get isRunning(): boolean {
    return this.process.isRunning;
  }

  /** What mariadbd wrote to stdout/stderr (its error log), for failure messages. */
  get output(): string {
    return this.process.output;
  }

  /** Starts mariadbd on the same port and data directory; resolves once it accepts a query. */
  async start(timeoutMs = 30_000): Promise<void> {
    const answers = async () => {
      const conn = await mysql.createConnection({ uri: this.url, connectTimeout: 1000 });
      await conn.query('SELECT 1');
      await conn.end();
    };
    await this.process.start(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${this.datadir}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(this.workdir, 'mariadbd.sock')}`,
        `--pid-file=${join(this.workdir, 'mariadbd.pid')}`,
        '--user=root',
        '--skip-name-resolve',
        ...this.binaryLog(),
        '--innodb-buffer-pool-size=32M',
        // tmpfs has no O_DIRECT and no native AIO.
        '--innodb-use-native-aio=0',
        '--innodb-flush-method=fsync',
        '--max-connections=500',
        ...INNODB_SIZES,
      ],
      answers,
      timeoutMs,
      100,
    );
  }

  private binaryLog(): string[] {
    if (!this.replication) return ['--skip-log-bin'];
    const { serverId, role } = this.replication;
    return [
      `--log-bin=${join(this.workdir, 'binlog')}`,
      `--server-id=${serverId}`,
      '--gtid-domain-id=0',
      '--binlog-format=ROW',
      ...(role === 'replica' ? ['--read-only=1', `--relay-log=${join(this.workdir, 'relay')}`] : []),
    ];
  }

  /** SIGTERM (a clean shutdown) or SIGKILL (a crash); resolves once the process is gone. */
  stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    return this.process.stop(signal, 30_000);
  }

  async restart(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    await this.start();
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const conn = await mysql.createConnection({ uri: this.url });
    try {
      const [rows] = await conn.query(sql, params);
      return rows as T[];
    } finally {
      await conn.end();
    }
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    if (this.ownsWorkdir) rmSync(this.workdir, { recursive: true, force: true });
    else if (existsSync(this.datadir)) rmSync(this.datadir, { recursive: true, force: true });
    instances -= 1;
    if (instances === 0 && templateRoot) {
      rmSync(templateRoot, { recursive: true, force: true });
      templateRoot = undefined;
      template = undefined;
    }
  }
}
