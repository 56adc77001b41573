/**
 * Writes the server's schema as SDL to web/schema.graphql and regenerates the
 * typed introspection the web app's operations are checked against.
 * `--check` only compares, failing when the committed SDL is stale.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from '../../src/schema/index.ts';

const sdlPath = fileURLToPath(new URL('../schema.graphql', import.meta.url));
const sdl = `${printSchema(schema)}\n`;

if (process.argv.includes('--check')) {
  if (readFileSync(sdlPath, 'utf8') !== sdl) {
    console.error('web/schema.graphql is stale: run `npm run schema:web`.');
    process.exit(1);
  }
} else {
  writeFileSync(sdlPath, sdl);
  const tsconfig = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
  execFileSync('npx', ['gql-tada', 'generate-output', '-c', tsconfig], { stdio: 'inherit' });
}
