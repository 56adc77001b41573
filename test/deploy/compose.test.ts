/**
 * compose.yaml and the Dockerfile, checked as far as a machine without a
 * container engine allows: `docker-compose config` (Debian's docker-compose
 * 1.29, which validates and normalises without an engine) accepts the file and
 * refuses it without a database password; the normalised form has the
 * healthchecks, volumes and start order Thrds needs. The Dockerfile's runtime
 * stage is read for what it must hold; test/deploy/build.test.ts runs the
 * server from a directory laid out as that stage copies it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRuntimeStage } from './support/dockerfile.ts';

const COMPOSE_FILE = fileURLToPath(new URL('../../compose.yaml', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
const DOCKER_COMPOSE = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((path) => existsSync(path));
/** docker-compose 1.x runs on Debian's Python with python3-yaml: the same YAML reader turns its output into JSON. */
const PYTHON = '/usr/bin/python3';

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { cwd: tmpdir(), env }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    child.stdin?.end(input);
  });
}

interface Service {
  build?: { context: string };
  image?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  command?: string[];
  stop_grace_period?: string;
  init?: boolean;
}

async function normalised(env: Record<string, string>): Promise<{ services: Record<string, Service>; volumes: Record<string, unknown> }> {
  const config = await run(DOCKER_COMPOSE!, ['-f', COMPOSE_FILE, 'config'], { PATH: process.env.PATH, ...env });
  expect(config, config.stderr).toMatchObject({ code: 0 });
  const json = await run(PYTHON, ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], process.env, config.stdout);
  expect(json.code, json.stderr).toBe(0);
  return JSON.parse(json.stdout) as { services: Record<string, Service>; volumes: Record<string, unknown> };
}

describe.skipIf(!DOCKER_COMPOSE && process.env.CI !== 'true')('compose.yaml (docker-compose config)', () => {
  it('is valid, and wires Thrds to MariaDB and Redis that must be healthy first', async () => {
    const { services, volumes } = await normalised({ THRDS_DB_PASSWORD: 's3cret' });
    expect(Object.keys(services).sort()).toEqual(['mariadb', 'redis', 'thrds']);
    const thrds = services.thrds!;
    expect(thrds.build?.context).toBe(REPO);
    expect(thrds.init).toBe(true);
    expect(thrds.environment).toMatchObject({ DATABASE_URL: 'mysql://thrds:s3cret@mariadb:3306/thrds', REDIS_URL: 'redis://redis:6379' });
    expect(thrds.depends_on).toEqual({ mariadb: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    // Docker's SIGKILL must come after the drain (THRDS_DRAIN_MS).
    expect(Number(/^(\d+)s$/.exec(thrds.stop_grace_period ?? '')?.[1]) * 1000).toBeGreaterThan(Number(thrds.environment?.THRDS_DRAIN_MS));
    for (const [name, service] of Object.entries(services)) expect(service.healthcheck?.test[0], `${name} healthcheck`).toBe('CMD');
    expect(services.mariadb!.environment).toMatchObject({ MARIADB_DATABASE: 'thrds', MARIADB_USER: 'thrds', MARIADB_PASSWORD: 's3cret' });
    expect(services.mariadb!.command).toContain('--innodb-flush-log-at-trx-commit=1');
    expect(services.mariadb!.volumes).toEqual(['mariadb-data:/var/lib/mysql:rw']);
    // Uploaded files live in the image's volume (THRDS_FILES_DIR): a named volume, not an anonymous one.
    expect(thrds.volumes).toEqual(['thrds-files:/var/lib/thrds:rw']);
    expect(Object.keys(volumes).sort()).toEqual(['mariadb-data', 'redis-data', 'thrds-files']);
  });

  it('refuses to start without a database password rather than run with an empty one', async () => {
    const config = await run(DOCKER_COMPOSE!, ['-f', COMPOSE_FILE, 'config', '--quiet'], { PATH: process.env.PATH });
    expect(config.code).not.toBe(0);
    expect(config.stderr).toContain('set THRDS_DB_PASSWORD');
  });
});

describe('Dockerfile', () => {
  const stage = readRuntimeStage();

  it('builds in one stage and runs in another, as an unprivileged user, with a liveness check and a draining stop', () => {
    expect(stage.stages).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
    expect(readFileSync(fileURLToPath(new URL('../../Dockerfile', import.meta.url)), 'utf8')).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(stage.user).toBe('node');
    expect(stage.healthcheck).toContain('/healthz');
    expect(stage.stopSignal).toBe('SIGTERM');
    expect(stage.cmd).toEqual(['node', 'dist/server.js']);
    expect(stage.env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '4000', THRDS_FILES_DIR: '/var/lib/thrds/files' });
  });

  it('leaves local state out of the build context (.dockerignore)', () => {
    const ignored = readFileSync(fileURLToPath(new URL('../../.dockerignore', import.meta.url)), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', 'web/dist', 'data', '.env', '.git']) expect(ignored).toContain(entry);
  });
});
