/** `thrds serve`: the server (what `npm start` runs), until SIGINT or SIGTERM. */
import { outageReason } from '../../db/unavailable.ts';
import { redactedUrl, StoreNotFoundError } from '../../db/openDatabase.ts';
import { positionFlag, stringFlag } from '../args.ts';
import { type Command, databaseUrl, wantsJson } from '../subcommand.ts';
import { CliError, ExitCode, StoreOpenError } from '../exitCodes.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the server (what `npm start` runs)',
  description: [
    'Serves GraphQL over HTTP, SSE and WebSocket on the store until SIGINT or SIGTERM, then drains and',
    'exits 0. The environment configures the rest (PORT, HOST, REDIS_URL, THRDS_*; see the README).',
  ].join('\n'),
  args: [],
  flags: {
    port: { kind: 'string', value: 'N', description: 'port to listen on (0: any free one)', default: '$PORT, else 4000' },
    host: { kind: 'string', value: 'H', description: 'interface to listen on', default: '$HOST, else 0.0.0.0' },
  },
  json: 'print the start-up line as one object: {"listening":"http://…/","port":N,"store":"…"}',
  examples: [
    ['thrds serve --port 8080 --host 127.0.0.1', 'on localhost only'],
    ['DATABASE_URL=mysql://thrds:secret@127.0.0.1:3306/thrds thrds serve', 'on MariaDB'],
  ],
  exitCodes: {
    1: null,
    0: 'stopped by SIGINT or SIGTERM after draining',
    3: 'the database cannot be reached at start',
    4: 'any other failure, e.g. the port is in use',
  },
  async run(args) {
    // Loaded here, not at the top: the other commands (and --help) start in a fraction of the time without the server.
    const [{ configFromEnv }, { buildApp }] = await Promise.all([import('../../config.ts'), import('../../server.ts')]);
    const port = positionFlag(args, 'port');
    const host = stringFlag(args, 'host');
    let config;
    try {
      config = { ...configFromEnv(), databaseUrl: databaseUrl(args), ...(port === undefined ? {} : { port }), ...(host === undefined ? {} : { host }) };
    } catch (error) {
      throw new CliError(`bad configuration: ${(error as Error).message}`);
    }
    const app = buildApp(config);
    const store = redactedUrl(config.databaseUrl);
    let started;
    try {
      started = await app.start();
    } catch (error) {
      const message = (error as Error).message.split('\n')[0]!;
      // The database refused, timed out or is not there: "cannot open the store", as for every other command.
      if (error instanceof StoreNotFoundError || outageReason(error) !== undefined) throw new StoreOpenError(`cannot start: ${message} (${store})`);
      throw new CliError(`cannot start: ${message}`);
    }
    const url = `http://localhost:${started.port}/`;
    if (wantsJson(args)) console.log(JSON.stringify({ listening: url, port: started.port, store }));
    else console.log(`Thrds listening on ${url} (GraphQL at /graphql) with ${store}`);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    if (!wantsJson(args)) console.log(`${signal}: finishing in-flight work and closing`);
    await app.stop();
    return ExitCode.ok;
  },
};
