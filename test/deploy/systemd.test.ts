/**
 * deploy/systemd/thrds.service passes `systemd-analyze verify` without a
 * single complaint (verify exits 0 even on unknown keys, so its output must be
 * empty), and stops the way the drain needs: SIGTERM, then a wait longer than
 * THRDS_DRAIN_MS before SIGKILL.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const UNIT = fileURLToPath(new URL('../../deploy/systemd/thrds.service', import.meta.url));
const ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((path) => existsSync(path));
/** THRDS_DRAIN_MS's default (interfaces: graceful drain). */
const DEFAULT_DRAIN_MS = 10_000;

function verify(unit: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(ANALYZE!, ['verify', unit], { cwd: tmpdir() }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}`.trim() });
    });
  });
}

const setting = (text: string, key: string): string[] => [...text.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]!.trim());

describe.skipIf(!ANALYZE && process.env.CI !== 'true')('deploy/systemd/thrds.service', () => {
  const text = readFileSync(UNIT, 'utf8');

  it('passes systemd-analyze verify with no warning at all', async () => {
    expect(await verify(UNIT)).toEqual({ code: 0, output: '' });
  });

  it('is checked for real: a misspelt key and a missing binary make verify complain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thrds-unit-'));
    try {
      const broken = join(dir, 'thrds.service');
      writeFileSync(broken, text.replace('KillSignal=', 'KilSignal=').replace('/usr/bin/node ', '/usr/bin/no-such-node '));
      const result = await verify(broken);
      expect(result.output).toContain("Unknown key 'KilSignal'");
      expect(result.output).toContain('/usr/bin/no-such-node');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the compiled server as an unprivileged user, restarts on failure, and stops with SIGTERM and time to drain', () => {
    expect(setting(text, 'ExecStart')).toEqual(['/usr/bin/node /opt/thrds/dist/server.js']);
    expect(setting(text, 'User')).toEqual(['thrds']);
    expect(setting(text, 'Restart')).toEqual(['on-failure']);
    expect(setting(text, 'KillSignal')).toEqual(['SIGTERM']);
    expect(setting(text, 'EnvironmentFile')).toEqual(['-/etc/thrds/thrds.env']);
    const stopSeconds = Number(setting(text, 'TimeoutStopSec')[0]);
    expect(stopSeconds * 1000).toBeGreaterThan(DEFAULT_DRAIN_MS + 5000);
    for (const hardening of ['NoNewPrivileges', 'ProtectSystem', 'ProtectHome', 'PrivateTmp', 'RestrictNamespaces']) expect(setting(text, hardening), hardening).toHaveLength(1);
  });
});
