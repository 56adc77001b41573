/**
 * The composer's emoji picker (its own chunk, loaded on first open): a
 * search box (names, shortcodes, tags), the skin tone (remembered), the
 * recent emoji first, then every emoji by group. Keyboard: typing searches,
 * ↓ enters the grid, arrows move in it, Enter picks (in the search box: the
 * first result), Escape closes and gives the focus back to the text.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { loadRecentEmoji, rememberEmoji, saveRecentEmoji } from '../thread/recentEmoji.ts';
import type { EmojiEntry, SkinTone } from './emojiIndex.ts';
import { pickerSections, type Cell } from './pickerSections.ts';
import { loadEmojiIndex } from './loadEmojiIndex.ts';
import { loadSkinTone, saveSkinTone, skinToneSamples } from './skinTone.ts';

export interface EmojiPickerProps {
  readonly onPick: (emoji: string) => void;
  /** `refocus`: give the focus back to the text (Escape), not when the click went elsewhere. */
  readonly onClose: (refocus: boolean) => void;
  /** Clicks here do not count as "outside" (the button that opened the picker). */
  readonly trigger: RefObject<HTMLElement | null>;
}

/** The grid's width in emoji, for ↑ and ↓ (the CSS grid has as many columns). */
const columns = 8;

export default function EmojiPicker({ onPick, onClose, trigger }: EmojiPickerProps) {
  const [index, setIndex] = useState<readonly EmojiEntry[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [query, setQuery] = useState('');
  const [tone, setTone] = useState<SkinTone>(loadSkinTone);
  const [recent] = useState(loadRecentEmoji);
  const [hovered, setHovered] = useState<Cell | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    loadEmojiIndex().then(
      (loaded) => live && setIndex(loaded),
      (error: unknown) => {
        console.warn('Thrds: cannot load the emoji data', error);
        if (live) setFailed(true);
      },
    );
    search.current?.focus();
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    const outside = (event: PointerEvent) => {
      const target = event.target;
      if (target instanceof Node && !panel.current?.contains(target) && !trigger.current?.contains(target)) onClose(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [onClose, trigger]);

  const sections = useMemo(() => (index ? pickerSections(index, query, tone, recent) : []), [index, query, tone, recent]);

  const pick = (emoji: string) => {
    saveRecentEmoji(rememberEmoji(loadRecentEmoji(), emoji));
    onPick(emoji);
  };

  const chooseTone = (next: SkinTone) => {
    setTone(next);
    saveSkinTone(next);
  };

  const cells = () => [...(panel.current?.querySelectorAll<HTMLButtonElement>('.emoji-cell') ?? [])];

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose(true);
      return;
    }
    const all = cells();
    const at = all.findIndex((b) => b === document.activeElement);
    if (event.target === search.current) {
      if (event.key === 'ArrowDown' && all[0]) {
        event.preventDefault();
        all[0].focus();
      } else if (event.key === 'Enter') {
        event.preventDefault();
        const first = sections[0]?.cells[0];
        if (first) pick(first.emoji);
      }
      return;
    }
    if (at < 0) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[event.key];
    if (step !== undefined) {
      event.preventDefault();
      const next = at + step;
      if (next < 0) search.current?.focus();
      else all[Math.min(next, all.length - 1)]?.focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      (event.key === 'Home' ? all[0] : all.at(-1))?.focus();
    }
  };

  const shown = hovered ?? sections[0]?.cells[0] ?? null;
  return (
    <div ref={panel} className="emoji-picker" role="dialog" aria-label="Emoji picker" onKeyDown={onKeyDown}>
      <div className="emoji-picker-top">
        <input
          ref={search}
          type="search"
          className="emoji-search"
          placeholder="Search emoji"
          aria-label="Search emoji"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <div className="emoji-tones" role="radiogroup" aria-label="Skin tone">
          {skinToneSamples.map(({ tone: t, sample, name }) => (
            <button key={t} type="button" role="radio" aria-checked={tone === t} aria-label={name} title={name} className="emoji-tone" onClick={() => chooseTone(t)}>
              {sample}
            </button>
          ))}
        </div>
      </div>
      <div className="emoji-picker-body">
        {failed ? (
          <p className="emoji-picker-note error">The emoji could not be loaded. Close the picker and try again.</p>
        ) : !index ? (
          <p className="emoji-picker-note">Loading emoji…</p>
        ) : sections.length === 0 ? (
          <p className="emoji-picker-note">No emoji match “{query}”.</p>
        ) : (
          sections.map((section) => (
            <section key={section.title} className="emoji-section" aria-label={section.title}>
              <h3 className="emoji-section-title">{section.title}</h3>
              <div className="emoji-grid">
                {section.cells.map((cell) => (
                  <button
                    key={cell.emoji}
                    type="button"
                    className="emoji-cell"
                    aria-label={cell.entry.label}
                    title={cell.entry.shortcodes[0] ? `:${cell.entry.shortcodes[0]}:` : cell.entry.label}
                    data-emoji={cell.emoji}
                    onClick={() => pick(cell.emoji)}
                    onMouseEnter={() => setHovered(cell)}
                    onFocus={() => setHovered(cell)}
                  >
                    {cell.emoji}
                  </button>
                ))}
              </div>
            </section>
          ))
        )}
      </div>
      <p className="emoji-picker-preview">
        {shown ? (
          <>
            <span className="emoji-glyph" aria-hidden="true">
              {shown.emoji}
            </span>{' '}
            {shown.entry.label}
            {shown.entry.shortcodes[0] && <span className="emoji-name"> :{shown.entry.shortcodes[0]}:</span>}
          </>
        ) : null}
      </p>
    </div>
  );
}
