/**
 * GET /graphql carries `variables` and `extensions` as JSON in the query
 * string. yoga parses them with a bare JSON.parse and takes the SyntaxError
 * for a bug (INTERNAL_SERVER_ERROR and a stack trace in the log), so they are
 * checked here first and a malformed one is the client's 400, as a malformed
 * POST body is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerError } from './errorAnswer.ts';

/** True when it answered the request (400): a parameter was not a JSON object or null. */
export function refuseMalformedSearchParams(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET') return false;
  const query = (req.url ?? '').indexOf('?');
  if (query < 0) return false;
  const params = new URLSearchParams((req.url ?? '').slice(query + 1));
  for (const name of ['variables', 'extensions']) {
    const text = params.get(name);
    if (!text) continue;
    if (isJsonObject(text)) continue;
    answerError(res, 400, { message: `${name} must be a JSON object (or null)`, extensions: { code: 'BAD_REQUEST', field: name } });
    return true;
  }
  return false;
}

function isJsonObject(text: string): boolean {
  try {
    const value = JSON.parse(text) as unknown;
    return value === null || (typeof value === 'object' && !Array.isArray(value));
  } catch {
    return false;
  }
}
