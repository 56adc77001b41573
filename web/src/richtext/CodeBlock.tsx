/** A fenced code block, kept as written, with a button that copies its text. */
import { useEffect, useState, type ReactNode } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

export function CodeBlock({ children, code }: { children: ReactNode; code: string }) {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = () => {
    navigator.clipboard.writeText(code).then(
      () => setState('copied'),
      (error: unknown) => {
        // Denied (no permission, not a secure context): say so on the button; the text can still be selected.
        console.warn('Thrds: cannot copy the code block', error);
        setState('failed');
      },
    );
  };

  return (
    <div className="md-code">
      <pre>{children}</pre>
      <button type="button" className="md-copy" onClick={copy} aria-label="Copy the code">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
      </button>
    </div>
  );
}
