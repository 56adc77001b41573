/**
 * Writes dist/sw.js from src/shell/serviceWorker.js with this build's version
 * (a hash of every output file name, which carry their content hashes) and its
 * shell: the entry scripts, the chunks they import and their stylesheets, so a
 * reload while offline has all it needs. Chunks loaded on demand (the emoji
 * index, font subsets) are cached the first time they are fetched instead.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Plugin, Rollup } from 'vite';

type OutputBundle = Rollup.OutputBundle;
type OutputChunk = Rollup.OutputChunk;

const placeholder = "const build = { version: 'dev', shell: [] };";

export function serviceWorker(source: string): Plugin {
  return {
    name: 'thrds-service-worker',
    apply: 'build',
    async generateBundle(_options, bundle) {
      const template = await readFile(source, 'utf8');
      if (!template.includes(placeholder)) throw new Error(`${source} lost its build placeholder: ${placeholder}`);
      const version = createHash('sha256').update(Object.keys(bundle).sort().join('\n')).digest('hex').slice(0, 16);
      const build = { version, shell: shellFiles(bundle).map((file) => `/${file}`) };
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: template.replace(placeholder, `const build = ${JSON.stringify(build)};`) });
    },
  };
}

/** The entry chunks, what they import statically, and the stylesheets of all of those. */
function shellFiles(bundle: OutputBundle): string[] {
  const files = new Set<string>();
  const visit = (chunk: OutputChunk) => {
    if (files.has(chunk.fileName)) return;
    files.add(chunk.fileName);
    for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
    for (const name of chunk.imports) {
      const imported = bundle[name];
      if (imported?.type === 'chunk') visit(imported);
    }
  };
  for (const output of Object.values(bundle)) if (output.type === 'chunk' && output.isEntry) visit(output);
  return [...files].sort();
}
