/** placeholder */
import { type Command, commonFlags } from '../command.ts';

export const rebuildCommand: Command = {
  summary: 'rebuild read models from the log, online',
  usage: '[projection…]',
  flags: commonFlags,
  async run() {
    return 1;
  },
};
