/** DATABASE_READ_URL at start: only a MariaDB/MySQL replica of a MariaDB/MySQL primary; anything else stops the start with a clear message. */
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/config.ts';
import { openThrds } from '../../src/openThrds.ts';
import { SessionPositions } from '../../src/db/sessionPositions.ts';

describe('DATABASE_READ_URL', () => {
  it('is refused next to a SQLite primary, at start, saying why', async () => {
    expect(() => configFromEnv({ DATABASE_URL: 'sqlite:./data/x.db', DATABASE_READ_URL: 'mysql://root@127.0.0.1:3307/thrds' })).toThrow(/SQLite database has no replicas/);
    expect(() => configFromEnv({ DATABASE_READ_URL: 'mysql://root@127.0.0.1:3307/thrds' })).toThrow(/SQLite database has no replicas/);
    await expect(openThrds({ databaseUrl: 'sqlite:./data/never-created.db', readDatabaseUrl: 'mysql://root@127.0.0.1:3307/thrds' })).rejects.toThrow(/SQLite database has no replicas/);
  });

  it('must itself be a MariaDB/MySQL URL', () => {
    expect(() => configFromEnv({ DATABASE_URL: 'mysql://root@127.0.0.1/thrds', DATABASE_READ_URL: 'sqlite:./replica.db' })).toThrow(/DATABASE_READ_URL must start with mysql:\/\/ or mariadb:\/\//);
  });

  it('is optional: without it there is no replica, and the wait has its default', () => {
    const config = configFromEnv({ DATABASE_URL: 'mysql://root@127.0.0.1/thrds', DATABASE_READ_URL: 'mariadb://root@127.0.0.1:3307/thrds' });
    expect(config.readDatabaseUrl).toBe('mariadb://root@127.0.0.1:3307/thrds');
    expect(config.replicaWaitMs).toBe(500);
    expect(configFromEnv({}).readDatabaseUrl).toBeUndefined();
    expect(() => configFromEnv({ THRDS_REPLICA_WAIT_MS: 'soon' })).toThrow(/THRDS_REPLICA_WAIT_MS must be a positive whole number/);
  });
});

describe('the positions of sessions’ last writes', () => {
  it('keeps the highest position per session and forgets the least recently writing session beyond its limit', () => {
    const positions = new SessionPositions(2);
    positions.wrote('a', 5);
    positions.wrote('a', 3);
    positions.wrote('b', 7);
    positions.wrote('a', 9);
    positions.wrote('c', 1);
    expect([positions.lastWrite('a'), positions.lastWrite('b'), positions.lastWrite('c')]).toEqual([9, 0, 1]);
    expect(positions.size).toBe(2);
  });
});
