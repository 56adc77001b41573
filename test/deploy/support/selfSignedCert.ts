/** A throwaway certificate for 127.0.0.1 and localhost, made by openssl (the test trusts it as its CA). */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Certificate {
  readonly certFile: string;
  readonly keyFile: string;
  /** The certificate itself (PEM), to trust as a CA. */
  readonly pem: string;
}

export async function selfSignedCert(dir: string): Promise<Certificate> {
  const certFile = join(dir, 'thrds.crt');
  const keyFile = join(dir, 'thrds.key');
  await run('openssl', [
    'req', '-x509', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  return { certFile, keyFile, pem: readFileSync(certFile, 'utf8') };
}
