/**
 * Debian's nginx running deploy/nginx/thrds.conf itself in front of a Thrds
 * server: its own process (`nginx -p <dir> -c <dir>/nginx.conf -e … -g 'daemon
 * off;'`) on free ports, with only the listen ports, the certificate paths and
 * the upstream port substituted into the example. Each substitution must match
 * exactly once, so the example cannot drift away from what is tested.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../support/freePort.ts';
import { waitFor } from '../../support/waitFor.ts';
import { type Certificate, selfSignedCert } from './selfSignedCert.ts';

export const NGINX_EXAMPLE = fileURLToPath(new URL('../../../deploy/nginx/thrds.conf', import.meta.url));
export const NGINX_BINARY = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

export interface NginxInFront {
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly certificate: Certificate;
  /** What nginx wrote to its error log (for failure messages). */
  errorLog(): string;
  accessLog(): string;
  stop(): Promise<void>;
}

function substituteOnce(text: string, from: string, to: string): string {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`deploy/nginx/thrds.conf: expected "${from}" exactly once, found it ${count} times`);
  return text.replace(from, to);
}

export async function startNginxInFront(upstreamPort: number): Promise<NginxInFront> {
  if (!NGINX_BINARY) throw new Error('nginx is not installed (apt-get install nginx-light)');
  const dir = mkdtempSync(join(tmpdir(), 'thrds-nginx-'));
  // Workers run as nobody: they must reach the temp directories nginx makes here.
  chmodSync(dir, 0o755);
  const certificate = await selfSignedCert(dir);
  const [httpPort, httpsPort] = [await freePort(), await freePort()];

  let site = readFileSync(NGINX_EXAMPLE, 'utf8');
  site = substituteOnce(site, 'server 127.0.0.1:4000;', `server 127.0.0.1:${upstreamPort};`);
  site = substituteOnce(site, 'listen 80;', `listen 127.0.0.1:${httpPort};`);
  site = substituteOnce(site, 'listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`);
  site = substituteOnce(site, '/etc/letsencrypt/live/chat.example.com/fullchain.pem', certificate.certFile);
  site = substituteOnce(site, '/etc/letsencrypt/live/chat.example.com/privkey.pem', certificate.keyFile);
  site = substituteOnce(site, '/var/log/nginx/thrds.access.log', join(dir, 'access.log'));
  writeFileSync(join(dir, 'thrds.conf'), site);
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} info;`,
      'worker_processes 1;',
      'events { worker_connections 256; }',
      'http {',
      `  access_log ${join(dir, 'default-access.log')};`,
      `  client_body_temp_path ${join(dir, 'body')};`,
      `  proxy_temp_path ${join(dir, 'proxy')};`,
      `  include ${join(dir, 'thrds.conf')};`,
      '}',
      '',
    ].join('\n'),
  );

  const child: ChildProcess = spawn(NGINX_BINARY, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const read = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : '');
  const front: NginxInFront = {
    httpPort,
    httpsPort,
    certificate,
    errorLog: () => output + read('error.log'),
    accessLog: () => read('access.log'),
    async stop() {
      if (!exited) {
        child.kill('SIGTERM'); // nginx: fast shutdown
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exit;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };

  const started = async () => {
    if (exited) throw new Error('nginx exited');
    return (await listening(httpsPort)) && (await listening(httpPort));
  };
  try {
    await waitFor(started, { what: 'nginx to listen on its HTTP and HTTPS ports', intervalMs: 50 });
  } catch (error) {
    const log = front.errorLog();
    await front.stop();
    throw new Error(`nginx did not start with deploy/nginx/thrds.conf (${error instanceof Error ? error.message : String(error)}):\n${log}`);
  }
  return front;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
