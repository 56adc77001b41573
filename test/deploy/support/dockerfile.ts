/**
 * Reads the runtime stage of the Dockerfile (no engine here to build it):
 * which paths of the build stage it copies, its ENV, USER, HEALTHCHECK and CMD,
 * so a test can lay out a directory exactly as the image would and run the CMD there.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DOCKERFILE = fileURLToPath(new URL('../../../Dockerfile', import.meta.url));

export interface RuntimeStage {
  readonly stages: readonly string[];
  readonly workdir: string;
  /** Paths relative to the build stage's WORKDIR, copied to the same path under the runtime WORKDIR. */
  readonly copies: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly user: string | undefined;
  readonly healthcheck: string | undefined;
  readonly stopSignal: string | undefined;
  readonly cmd: readonly string[];
}

/** Instructions with their continuation lines joined and comments dropped. */
function instructions(text: string): Array<{ keyword: string; args: string }> {
  const joined = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

export function readRuntimeStage(text = readFileSync(DOCKERFILE, 'utf8')): RuntimeStage {
  const all = instructions(text);
  const stages = all.filter((i) => i.keyword === 'FROM').map((i) => i.args);
  const lastFrom = all.map((i) => i.keyword).lastIndexOf('FROM');
  const runtime = all.slice(lastFrom);
  const buildWorkdir = all.slice(0, lastFrom).filter((i) => i.keyword === 'WORKDIR').at(-1)?.args ?? '/';
  const workdir = runtime.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args ?? '/';
  const copies: string[] = [];
  for (const { keyword, args } of runtime) {
    if (keyword !== 'COPY') continue;
    const match = /^--from=\S+\s+(\S+)\s+(\S+)$/.exec(args);
    if (!match) throw new Error(`Dockerfile: a runtime COPY this test cannot follow: COPY ${args}`);
    const [, from, to] = match as unknown as [string, string, string];
    const relative = from.startsWith(`${buildWorkdir}/`) ? from.slice(buildWorkdir.length + 1) : undefined;
    const target = to.replace(/^\.\//, '').replace(/\/$/, '') || '.';
    if (relative === undefined || (target !== relative && !(target === '.' && !relative.includes('/')))) {
      throw new Error(`Dockerfile: COPY ${args} does not keep the build stage's layout`);
    }
    copies.push(relative);
  }
  const env: Record<string, string> = {};
  for (const { args } of runtime.filter((i) => i.keyword === 'ENV')) {
    for (const [, key, value] of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[key!] = value!.replace(/^"|"$/g, '');
  }
  const last = (keyword: string) => runtime.filter((i) => i.keyword === keyword).at(-1)?.args;
  const cmd = last('CMD');
  return {
    stages,
    workdir,
    copies,
    env,
    user: last('USER'),
    healthcheck: last('HEALTHCHECK'),
    stopSignal: last('STOPSIGNAL'),
    cmd: cmd ? (JSON.parse(cmd) as string[]) : [],
  };
}
