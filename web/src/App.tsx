/** Who is using the app: nobody (sign in), someone being checked, or a signed-in user. */
import { useCallback, useEffect, useState } from 'react';
import { Client, fetchExchange } from '@urql/core';
import { AuthScreen } from './auth/AuthScreen.tsx';
import { loadToken, saveToken } from './auth/storedToken.ts';
import { ChatApp } from './ChatApp.tsx';
import { errorCode } from './api/errors.ts';
import { MeQuery, type Viewer } from './api/operations.ts';
import { decodeViewer } from './api/decode.ts';
import { loadViewer, saveViewer } from './shell/cachedViewer.ts';

type Session =
  | { readonly state: 'signed-out' }
  | { readonly state: 'checking'; readonly token: string }
  | { readonly state: 'signed-in'; readonly token: string; readonly me: Viewer }
  | { readonly state: 'unreachable'; readonly token: string };

export function App() {
  const [session, setSession] = useState<Session>(() => {
    const token = loadToken();
    return token ? { state: 'checking', token } : { state: 'signed-out' };
  });

  const signOut = useCallback(() => {
    saveToken(null);
    saveViewer(null);
    setSession({ state: 'signed-out' });
  }, []);

  const signedIn = useCallback((token: string, me: Viewer) => {
    saveToken(token);
    saveViewer(me);
    setSession({ state: 'signed-in', token, me });
  }, []);

  const viewerChanged = useCallback((me: Viewer) => {
    saveViewer(me);
    setSession((current) => (current.state === 'signed-in' ? { ...current, me } : current));
  }, []);

  const token = session.state === 'checking' ? session.token : null;
  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    const client = new Client({
      url: '/graphql',
      exchanges: [fetchExchange],
      requestPolicy: 'network-only',
      fetchOptions: { headers: { authorization: `Bearer ${token}` } },
    });
    void client
      .query(MeQuery, {})
      .toPromise()
      .then((result) => {
        if (cancelled) return;
        const me = decodeViewer(result.data?.me);
        if (me) {
          saveViewer(me);
          setSession({ state: 'signed-in', token, me });
          return;
        }
        if (!result.error || errorCode(result.error) === 'UNAUTHENTICATED') return signOut();
        // The server is out of reach or failing, not refusing: whoever was signed in here carries on offline.
        const known = loadViewer();
        setSession(known ? { state: 'signed-in', token, me: known } : { state: 'unreachable', token });
      });
    return () => {
      cancelled = true;
    };
  }, [token, signOut]);

  switch (session.state) {
    case 'signed-out':
      return <AuthScreen onSignedIn={signedIn} />;
    case 'checking':
      return (
        <main className="splash" aria-busy="true">
          <p>Loading…</p>
        </main>
      );
    case 'unreachable':
      return (
        <main className="splash">
          <p role="alert">Thrds cannot be reached right now.</p>
          <button type="button" className="button primary" onClick={() => setSession({ state: 'checking', token: session.token })}>
            Try again
          </button>
        </main>
      );
    case 'signed-in':
      return <ChatApp token={session.token} me={session.me} onSignOut={signOut} onViewerChange={viewerChanged} />;
  }
}
