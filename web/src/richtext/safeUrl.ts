/**
 * Which link targets a message may carry: http, https and mailto, nothing
 * else. Everything else (javascript:, data:, vbscript:, file:, relative
 * paths, fragments) is dropped, and the link shows as the text it wraps.
 * The URL is parsed by the browser's own parser, so entity-, case-, tab- or
 * control-character tricks (`JaVa\tScript:`) read the scheme as the browser
 * would when following it.
 */
const allowedProtocols = new Set(['http:', 'https:', 'mailto:']);

/** The URL to put in `href` (as parsed and re-serialised), or undefined when it may not be a link. */
export function safeHref(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not an absolute URL (relative path, fragment, garbage): no base to resolve it against on purpose.
    return undefined;
  }
  if (!allowedProtocols.has(parsed.protocol)) return undefined;
  if (parsed.protocol !== 'mailto:' && parsed.hostname === '') return undefined;
  return parsed.href;
}
