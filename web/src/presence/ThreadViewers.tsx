/** In a thread's header: who has it open right now (a live threadEvents subscription), the viewer included. */
import type { Presence } from '../api/decode.ts';

const shown = 4;

export function ThreadViewers({ presence, meId }: { presence: Presence | null; meId: string }) {
  if (!presence || presence.people === 0) return null;
  const others = presence.users.filter((u) => u.id !== meId);
  const names = others.slice(0, shown).map((u) => u.displayName);
  const rest = presence.people - (presence.users.some((u) => u.id === meId) ? 1 : 0) - names.length;
  const label = names.length === 0 ? 'Only you here' : `Here: ${names.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
  return (
    <p className="thread-viewers" data-people={presence.people} aria-label={`${presence.people === 1 ? '1 person has' : `${presence.people} people have`} this thread open`}>
      <span className="online-dot" aria-hidden="true" />
      {label}
    </p>
  );
}
