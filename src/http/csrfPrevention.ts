/**
 * A cross-site page can make a browser POST without asking first (no CORS
 * preflight) only with the "simple" media types: an HTML form
 * (`application/x-www-form-urlencoded`, `multipart/form-data`) or
 * `text/plain`. yoga parses the first two, so such a form could register or
 * post. yoga's CSRF prevention refuses (403) any request in a simple media
 * type, or with none, unless it carries `x-graphql-yoga-csrf`, a header no
 * form can set. Writes therefore arrive only as JSON or GraphQL media types
 * (which browsers preflight, and the origin policy answers) or with that header.
 *
 * GET is left to yoga as before: it never runs a mutation (405), and an
 * EventSource (SSE over GET) cannot set a header. The fast path takes only
 * `application/json` bodies, so every simple media type reaches this plugin.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';

export function useFormCsrfPrevention(): Plugin {
  const { onRequestParse } = useCSRFPrevention();
  return {
    onRequestParse(payload) {
      if (payload.request.method === 'GET') return;
      try {
        // The plugin's check is synchronous: it throws or returns nothing.
        void onRequestParse?.(payload);
      } catch {
        // Its refusal, with our code (FORBIDDEN) so clients can branch on it; `http` is yoga's and never sent.
        throw createGraphQLError('Send GraphQL as application/json or application/graphql (or add the x-graphql-yoga-csrf header)', {
          extensions: { code: 'FORBIDDEN', http: { status: 403 } },
        });
      }
    },
  };
}
