/** `thrds serve`: the server (what `npm start` runs), until SIGINT or SIGTERM. */
import { configFromEnv } from '../../config.ts';
import { buildApp } from '../../server.ts';
import { positionFlag, stringFlag } from '../args.ts';
import { type Command, commonFlags, databaseUrl } from '../command.ts';

export const serveCommand: Command = {
  summary: 'run the server (what `npm start` runs)',
  usage: '[--port N] [--host H]   (defaults: $PORT or 4000, $HOST or 0.0.0.0)',
  flags: { ...commonFlags, port: 'string', host: 'string' },
  async run(args) {
    const port = positionFlag(args, 'port');
    const host = stringFlag(args, 'host');
    const config = { ...configFromEnv(), databaseUrl: databaseUrl(args), ...(port === undefined ? {} : { port }), ...(host === undefined ? {} : { host }) };
    const app = buildApp(config);
    const started = await app.start();
    console.log(`Thrds listening on http://localhost:${started.port}/ (GraphQL at /graphql) with ${config.databaseUrl.replace(/\/\/[^@]*@/, '//***@')}`);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    console.log(`${signal}: finishing in-flight work and closing`);
    await app.stop();
    return 0;
  },
};
