/**
 * A link to one message: `/t/<thread id>/m/<message id>` opens the thread at
 * that message. The app's router knows `/` and `/t/<thread id>`; this adds the
 * message part on top of it, and the server answers every page path with the
 * app, so such a link survives a reload and can be shared.
 */
export interface MessageRoute {
  readonly threadId: string;
  readonly messageId: string;
}

export function parseMessageRoute(pathname: string): MessageRoute | null {
  const match = /^\/t\/([^/]+)\/m\/([^/]+)\/?$/.exec(pathname);
  if (!match?.[1] || !match[2]) return null;
  try {
    return { threadId: decodeURIComponent(match[1]), messageId: decodeURIComponent(match[2]) };
  } catch {
    // A malformed escape (%zz) is no link to anything.
    return null;
  }
}

export function messagePath(threadId: string, messageId: string): string {
  return `/t/${encodeURIComponent(threadId)}/m/${encodeURIComponent(messageId)}`;
}
