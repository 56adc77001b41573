/** The session token, kept across reloads in this browser only. */
const key = 'thrds.token';

export function loadToken(): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    // Storage can be disabled (private modes, policies); the session then lasts one page load.
    return null;
  }
}

export function saveToken(token: string | null): void {
  try {
    if (token === null) localStorage.removeItem(key);
    else localStorage.setItem(key, token);
  } catch {
    // As above: not persisting is the only consequence.
  }
}
