/**
 * Stopping npm stops the server it started: `npm start` (its script execs
 * node, so npm signals the server itself) and `npm exec thrds serve` (npm
 * signals a `sh -c` that dies without passing the signal on; bin/thrds.js stops
 * when it loses that parent). No process is left behind and the port is free.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/freePort.ts';
import { descendantsOf, isAlive, waitUntilGone } from './support/processTree.ts';
import { npmCommand, repoRoot } from './support/productionCopy.ts';
import { spawnServer } from './support/spawnedServer.ts';

const dir = mkdtempSync(join(tmpdir(), 'thrds-npm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe.each([
  ['npm start', ['start']],
  ['npm exec thrds serve', ['exec', '--', 'thrds', 'serve']],
])('%s', (name, args) => {
  it('stops the server, and every process under npm, when npm gets SIGTERM', async () => {
    const port = await freePort();
    const [command, ...npmArgs] = npmCommand(args);
    const server = await spawnServer({
      command,
      args: npmArgs,
      cwd: repoRoot,
      port,
      env: { DATABASE_URL: `sqlite:${join(dir, `${name.replaceAll(' ', '-')}.db`)}`, THRDS_SERVE_WEB: '0' },
      startTimeoutMs: 45_000,
    });
    const below = descendantsOf(server.child.pid!);
    expect(below.length).toBeGreaterThan(0);
    try {
      server.child.kill('SIGTERM'); // npm itself, as `kill <pid of npm>` does
      expect(await waitUntilGone(below, 15_000), server.output()).toEqual([]);
      expect(await portOpen(port)).toBe(false);
      expect(server.output()).toMatch(/SIGTERM/);
    } finally {
      // Never leave a server behind, even when the test failed.
      for (const pid of below.filter(isAlive)) process.kill(pid, 'SIGKILL');
      await server.stop(1000);
    }
  });
});
