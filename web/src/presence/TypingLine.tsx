/** "Alice is typing…" under the thread; the space is kept when nobody is, so the composer does not jump. */
import type { User } from '../api/decode.ts';
import { typingText } from './typingText.ts';

export function TypingLine({ users }: { users: readonly User[] }) {
  const text = typingText(users.map((u) => u.displayName));
  return (
    <p className="typing-line" aria-live="polite" data-typing={users.length}>
      {text}
    </p>
  );
}
