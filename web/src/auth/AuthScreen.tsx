/** Sign in, or create an account; both end with a token for the session. */
import { useId, useMemo, useState, type FormEvent } from 'react';
import { Client, fetchExchange } from '@urql/core';
import { LoginMutation, RegisterMutation, type Viewer } from '../api/operations.ts';
import { errorMessage } from '../api/errors.ts';
import { decodeViewer } from '../api/decode.ts';
import { focusAfterSignIn } from './signInFocus.ts';

type Mode = 'sign-in' | 'register';

export function AuthScreen({ onSignedIn }: { onSignedIn: (token: string, user: Viewer) => void }) {
  const client = useMemo(() => new Client({ url: '/graphql', exchanges: [fetchExchange], requestPolicy: 'network-only' }), []);
  const [mode, setMode] = useState<Mode>('sign-in');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const registering = mode === 'register';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const name = username.trim().toLowerCase();
    const result = registering
      ? await client
          .mutation(RegisterMutation, { input: { username: name, password, displayName: displayName.trim() || name } })
          .toPromise()
          .then((r) => ({ payload: r.data?.register, error: r.error }))
      : await client
          .mutation(LoginMutation, { input: { username: name, password } })
          .toPromise()
          .then((r) => ({ payload: r.data?.login, error: r.error }));
    setBusy(false);
    const user = decodeViewer(result.payload?.user);
    if (result.payload?.token && user) {
      focusAfterSignIn();
      onSignedIn(result.payload.token, user);
    } else setError(result.error ? errorMessage(result.error) : 'That did not work. Try again.');
  };

  return (
    <main className="auth">
      <h1 className="brand">Thrds</h1>
      <form className="auth-card" onSubmit={submit} aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`}>{registering ? 'Create an account' : 'Sign in'}</h2>
        <label htmlFor={`${id}-username`}>Username</label>
        <input
          id={`${id}-username`}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          minLength={3}
          maxLength={32}
          pattern="[a-zA-Z0-9_]+"
          title="3 to 32 letters, digits or underscores"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        {registering && (
          <>
            <label htmlFor={`${id}-display`}>Display name</label>
            <input
              id={`${id}-display`}
              name="displayName"
              autoComplete="nickname"
              maxLength={64}
              value={displayName}
              placeholder="How others see you"
              onChange={(e) => setDisplayName(e.target.value)}
            />
          </>
        )}
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete={registering ? 'new-password' : 'current-password'}
          required
          minLength={registering ? 8 : 1}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-describedby={registering ? `${id}-password-hint` : undefined}
        />
        {registering && (
          <p id={`${id}-password-hint`} className="hint">
            At least 8 characters.
          </p>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary wide" disabled={busy}>
          {busy ? 'One moment…' : registering ? 'Create account' : 'Sign in'}
        </button>
        <p className="auth-switch">
          {registering ? 'Already have an account?' : 'New here?'}{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setMode(registering ? 'sign-in' : 'register');
              setError(null);
            }}
          >
            {registering ? 'Sign in' : 'Create an account'}
          </button>
        </p>
      </form>
    </main>
  );
}
