/** The people `@` may complete, above the composer; a click picks without taking the focus from the text. */
import type { User } from '../api/decode.ts';
import { BotBadge } from '../bots/BotBadge.tsx';

export function MentionOptions({ id, people, active, onChoose }: { id: string; people: readonly User[]; active: number; onChoose: (user: User) => void }) {
  return (
    <ul id={id} className="mention-options" role="listbox" aria-label="People to mention">
      {people.map((user, i) => (
        <li
          key={user.id}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === active}
          onMouseDown={(e) => {
            e.preventDefault();
            onChoose(user);
          }}
        >
          <span className="mention-name">{user.displayName}</span> <BotBadge user={user} /> <span className="mention-username">@{user.username}</span>
        </li>
      ))}
    </ul>
  );
}
