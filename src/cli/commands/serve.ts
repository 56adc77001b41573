/** `thrds serve`: the server (what `npm start` runs). */
import { type Command, commonFlags } from '../command.ts';

export const serveCommand: Command = {
  summary: 'run the server (what `npm start` runs)',
  usage: '',
  flags: commonFlags,
  async run() {
    throw new Error('the server is not wired in yet');
  },
};
