/**
 * Who was signed in, kept beside the session token, so a page loaded while
 * the server cannot be reached (from the app shell) still knows whose outbox
 * to show instead of stopping at "cannot be reached". The server remains the
 * judge: a token it refuses signs the person out as soon as it answers.
 */
import { avatarPath } from '../api/decode.ts';
import type { Role, Viewer } from '../api/operations.ts';

const key = 'thrds.viewer';
const roles: readonly Role[] = ['ADMIN', 'MODERATOR', 'MEMBER'];

/** The stored viewer, or null when there is none or it does not look like one. */
export function parseViewer(raw: unknown): Viewer | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { id, username, displayName, role, isBot, avatarUrl } = raw as Record<string, unknown>;
  if (typeof id !== 'string' || typeof username !== 'string' || typeof displayName !== 'string') return null;
  if (!roles.includes(role as Role)) return null;
  return { id, username, displayName, role: role as Role, isBot: isBot === true, avatarUrl: avatarPath(avatarUrl) };
}

export function loadViewer(): Viewer | null {
  try {
    const stored = localStorage.getItem(key);
    return stored ? parseViewer(JSON.parse(stored)) : null;
  } catch {
    // Storage disabled or the value corrupt: the page simply cannot start offline.
    return null;
  }
}

export function saveViewer(viewer: Viewer | null): void {
  try {
    if (viewer === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(viewer));
  } catch {
    // As above: only starting offline is lost.
  }
}
