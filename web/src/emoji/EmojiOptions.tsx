/** The emoji `:` may complete, above the composer; a click picks without taking the focus from the text. */
import type { EmojiOption } from './useEmojiCompletion.ts';

export function EmojiOptions({ id, options, active, onChoose }: { id: string; options: readonly EmojiOption[]; active: number; onChoose: (option: EmojiOption) => void }) {
  return (
    <ul id={id} className="mention-options emoji-options" role="listbox" aria-label="Emoji">
      {options.map((option, i) => (
        <li
          key={option.emoji}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === active}
          onMouseDown={(e) => {
            e.preventDefault();
            onChoose(option);
          }}
        >
          <span className="emoji-glyph" aria-hidden="true">
            {option.emoji}
          </span>{' '}
          <span className="emoji-name">{option.name}</span>
        </li>
      ))}
    </ul>
  );
}
