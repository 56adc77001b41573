/**
 * `npm run build` then `npm prune --omit=dev`, laid out as the Dockerfile's
 * runtime stage copies it: the image's CMD (`node dist/server.js`) runs with no
 * tsx and no Vite, serves the prebuilt web app, answers GraphQL over HTTP and
 * graphql-ws (one graphql copy in plain Node), and `bin/thrds.js` runs the
 * compiled CLI.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort } from '../support/freePort.ts';
import { CREATE_THREAD, POST, REGISTER, THREAD_EVENTS } from '../support/server.ts';
import { readRuntimeStage } from './support/dockerfile.ts';
import { imageLayout, productionCopy, type ProductionCopy } from './support/productionCopy.ts';
import { spawnServer, type SpawnedServer } from './support/spawnedServer.ts';

const run = promisify(execFile);

describe('the production build (npm run build, npm prune --omit=dev, node dist/server.js)', () => {
  const stage = readRuntimeStage();
  let built: ProductionCopy;
  let image: ProductionCopy;
  let server: SpawnedServer;
  let databaseUrl: string;

  beforeAll(async () => {
    built = await productionCopy();
    image = await imageLayout(built, stage.copies);
    databaseUrl = `sqlite:${join(image.dir, 'data', 'thrds.db')}`;
    const [command, ...args] = stage.cmd;
    expect(command).toBe('node');
    server = await spawnServer({ command: process.execPath, args, cwd: image.dir, port: await freePort(), env: { ...stage.env, DATABASE_URL: databaseUrl } });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    image?.dispose();
    built?.dispose();
  });

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> => {
    const response = await fetch(`${server.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const result = (await response.json()) as { data?: T; errors?: unknown[] };
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data as T;
  };

  it('copies no source and no development dependency into the image, so nothing below can lean on tsx, Vite or TypeScript', () => {
    expect(existsSync(join(image.dir, 'src'))).toBe(false);
    for (const dev of ['tsx', 'vite', 'typescript', 'vitest', 'esbuild']) expect(existsSync(join(image.dir, 'node_modules', dev)), dev).toBe(false);
    for (const file of ['dist/server.js', 'dist/cli/main.js', 'web/dist/index.html', 'migrations']) expect(existsSync(join(image.dir, file)), file).toBe(true);
  });

  it('serves the web app the build made at /, and its client-side routes', async () => {
    for (const path of ['/', '/threads/some-thread']) {
      const page = await fetch(`${server.base}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('<script type="module"');
    }
  });

  it('answers a mutation and a query over HTTP, and delivers the next message to a graphql-ws subscription', async () => {
    const { register } = await gql<{ register: { token: string } }>(REGISTER, { u: 'builder', p: 'correct horse', d: 'Builder' });
    const { createThread } = await gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, { title: 'Built' }, register.token);
    const threadId = createThread.thread.id;

    const client = createClient({ url: `${server.base.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const subscription = client.iterate<{ threadEvents: { type: string; message?: { body: string } } }>({ query: THREAD_EVENTS, variables: { t: threadId, after: '0' } });
      // The replay from the start of the log (the thread's ThreadCreated) shows the subscription is open.
      expect((await subscription.next()).value?.data?.threadEvents.type).toBe('ThreadCreated');
      await gql(POST, { t: threadId, b: 'compiled and running' }, register.token);
      expect((await subscription.next()).value?.data?.threadEvents.message?.body).toBe('compiled and running');
      await subscription.return?.();
    } finally {
      await client.dispose();
    }

    const { thread } = await gql<{ thread: { messageCount: number; title: string } }>('query ($id: ID!) { thread(id: $id) { title messageCount } }', { id: threadId });
    expect(thread).toEqual({ title: 'Built', messageCount: 1 });
  });

  it('runs the compiled `thrds` command: --version prints the package version, verify checks the log the server wrote', async () => {
    const { version } = JSON.parse(readFileSync(join(image.dir, 'package.json'), 'utf8')) as { version: string };
    const env = { ...process.env, NODE_OPTIONS: '', DATABASE_URL: databaseUrl };
    const printed = await run(process.execPath, ['bin/thrds.js', '--version'], { cwd: image.dir, env });
    expect(printed.stdout).toContain(version);
    const verified = await run(process.execPath, ['bin/thrds.js', 'verify'], { cwd: image.dir, env });
    expect(verified.stdout).toMatch(/^ok: 3 events verified/m); // registered, thread created, message posted
    // The compiled worker threads (dist's logWorker.js) check it the same.
    const threaded = await run(process.execPath, ['bin/thrds.js', 'verify', '--workers', '2'], { cwd: image.dir, env });
    expect(threaded.stdout).toBe(verified.stdout);
  });

  it('refuses to start with one clear line and exit code 1 on a busy port or an unreachable database', async () => {
    const start = (env: Record<string, string>) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = execFile(process.execPath, [...stage.cmd.slice(1)], { cwd: image.dir, env: { ...process.env, ...stage.env, NODE_OPTIONS: '', HOST: '127.0.0.1', THRDS_DB_TIMEOUT_MS: '2000', ...env }, timeout: 30_000 }, (_error, stdout, stderr) =>
          resolve({ code: child.exitCode, output: `${stdout}${stderr}`.trim() }),
        );
      });
    const busy = await start({ PORT: new URL(server.base).port, DATABASE_URL: `sqlite:${join(image.dir, 'data', 'other.db')}` });
    expect(busy.code).toBe(1);
    expect(busy.output.split('\n'), busy.output).toHaveLength(1);
    expect(busy.output).toContain('already in use');
    const unreachable = await start({ PORT: String(await freePort()), DATABASE_URL: `mysql://thrds:secret@127.0.0.1:${await freePort()}/thrds` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.output.split('\n'), unreachable.output).toHaveLength(1);
    expect(unreachable.output).toMatch(/database/);
    expect(unreachable.output).not.toContain('secret');
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
