/**
 * Routes the reads of operations yoga executes itself (GET, SSE,
 * multipart) as the one execute path routes its own (execution.ts):
 * queries to the read replica when it has the session's last write,
 * everything else to the primary (db/readRouting.ts).
 */
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context, Services } from '../schema/context.ts';

export function useReadRouting(services: Services): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const reads = services.reads;
      if (!reads) return;
      const kind = getOperationAST(args.document, args.operationName)?.operation ?? 'query';
      // Our context (schema/context.ts) merged into yoga's: its token is the session's.
      const token = (args.contextValue as Partial<Pick<Context, 'token'>>).token ?? null;
      setExecuteFn((routed) => reads.run(kind, token, async () => executeFn(routed)));
    },
  };
}
