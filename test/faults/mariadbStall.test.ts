/**
 * MariaDB stalled: a proxy between server and database holds every byte both
 * ways (sockets open, nothing flows) for 6 s under 8 writers and a reader.
 */
import { describe, it } from 'vitest';
import { mariadbReachable } from '../support/databases.ts';
import { DEADLINE_MS } from './support/faultEnv.ts';
import { expectOutageHandled, runOutage } from './support/outage.ts';
import { serverBehindProxy } from './support/behindProxy.ts';

const reachable = await mariadbReachable();

describe.skipIf(!reachable)('MariaDB stalled behind a proxy', () => {
  const setup = serverBehindProxy();

  it('fails writes and reads UNAVAILABLE within the deadline, keeps /healthz fast, /readyz honest, and loses or duplicates nothing after retries', async () => {
    const result = await runOutage({
      server: setup.server,
      storeUrl: setup.database.url,
      fault: { name: 'mariadb-stall', inject: () => setup.proxy.stall(), lift: () => setup.proxy.resume() },
      outageMs: 6000,
    });
    expectOutageHandled(result, { deadlineMs: DEADLINE_MS, writesFail: true, readiness: true, maxLogLines: 40 });
  }, 90_000);
});
