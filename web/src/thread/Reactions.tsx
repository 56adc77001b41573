/** The reactions under a message: one toggle per emoji, pressed when the viewer is among those who reacted. */
import type { ReactionGroup } from '../api/operations.ts';
import { whoReacted } from './whoReacted.ts';

export interface ReactionsProps {
  readonly groups: readonly ReactionGroup[];
  readonly meId: string;
  /** A locked thread takes no reactions: the groups show, the toggles do not work. */
  readonly disabled: boolean;
  readonly onToggle: (emoji: string) => void;
  /** False when the message list owns the tab order (MessageItem's controlsTabbable). */
  readonly tabbable?: boolean;
}

export function Reactions({ groups, meId, disabled, onToggle, tabbable = true }: ReactionsProps) {
  if (groups.length === 0) return null;
  return (
    <ul className="reactions" aria-label="Reactions">
      {groups.map((group) => {
        const who = whoReacted(group, meId);
        return (
          <li key={group.emoji}>
            <button
              type="button"
              className="reaction"
              data-emoji={group.emoji}
              aria-pressed={group.reactedByMe}
              aria-label={`${group.emoji} ${group.count}: ${who}`}
              title={`${who} reacted with ${group.emoji}`}
              disabled={disabled}
              tabIndex={tabbable ? undefined : -1}
              onClick={() => onToggle(group.emoji)}
            >
              <span className="reaction-emoji" aria-hidden="true">
                {group.emoji}
              </span>
              <span className="reaction-count" aria-hidden="true">
                {group.count}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
