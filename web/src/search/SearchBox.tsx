/**
 * The search box in the top bar (Ctrl+K or `/` to get there): results appear
 * under it as the reader types, each with its thread, author, time and the
 * matching words highlighted; choosing one opens its thread at that message.
 * Escape closes the results, then leaves the box.
 */
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { RelativeTime } from '../ui/RelativeTime.tsx';
import { messagePath } from './messageRoute.ts';
import { isSearchShortcut } from './searchShortcut.ts';
import { searchStatusText } from './searchResults.ts';
import { snippetParts } from './snippetParts.ts';
import { useSearch, type SearchHit } from './useSearch.ts';

const typingPauseMs = 300;

export interface SearchBoxProps {
  /** A result was chosen. */
  readonly onOpen: (threadId: string, messageId: string) => void;
}

export function SearchBox({ onOpen }: SearchBoxProps) {
  const search = useSearch();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const id = useId();
  const lastRun = useRef('');
  const { run: runSearch } = search;
  const run = useCallback(
    (query: string) => {
      lastRun.current = query;
      runSearch(query);
    },
    [runSearch],
  );

  // Ctrl+K / ⌘K anywhere, `/` outside text fields.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isSearchShortcut(event, event.target instanceof HTMLElement ? event.target : null)) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
      setOpen(true);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // Searches once the reader pauses typing (Enter searches at once). Checked again when the pause ends: an Enter
  // meanwhile has run this text already, and running it again would throw away the pages loaded since.
  useEffect(() => {
    if (text === lastRun.current) return;
    const timer = setTimeout(() => {
      if (text !== lastRun.current) run(text);
    }, typingPauseMs);
    return () => clearTimeout(timer);
  }, [text, run]);

  // A click or focus outside closes the results.
  useEffect(() => {
    if (!open) return;
    const away = (event: Event) => {
      if (event.target instanceof Node && !root.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    document.addEventListener('focusin', away);
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('focusin', away);
    };
  }, [open]);

  const choose = (hit: SearchHit) => {
    setOpen(false);
    onOpen(hit.threadId, hit.message.id);
  };

  const results = search.page?.results ?? [];
  const status = searchStatusText({ query: search.query || text, loading: search.loading, error: search.error, count: search.page ? results.length : null });

  return (
    <div className="search" role="search" ref={root}>
      <label htmlFor={id} className="visually-hidden">
        Search messages
      </label>
      <input
        id={id}
        ref={input}
        type="search"
        className="search-input"
        placeholder="Search messages (Ctrl+K)"
        autoComplete="off"
        spellCheck={false}
        maxLength={500}
        value={text}
        aria-controls={`${id}-results`}
        aria-keyshortcuts="Control+K /"
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            run(text);
            setOpen(true);
          } else if (e.key === 'Escape') {
            // Not the search field's own Escape, which would clear the text (and so open the results again).
            e.preventDefault();
            if (open) setOpen(false);
            else e.currentTarget.blur();
          } else if (e.key === 'ArrowDown' && open) {
            const first = root.current?.querySelector<HTMLElement>('.search-result');
            if (first) {
              e.preventDefault();
              first.focus();
            }
          }
        }}
      />
      <div id={`${id}-results`} className="search-panel" hidden={!open} aria-label="Search results" role="region">
        {status && (
          <p className={`search-status${search.error ? ' error' : ''}`} role="status">
            {status}
            {search.error && (
              <>
                {' '}
                <button type="button" className="link-button" onClick={() => run(text)}>
                  Try again
                </button>
              </>
            )}
          </p>
        )}
        {results.length > 0 && (
          <p className="visually-hidden" role="status">
            {results.length === 1 ? '1 message found' : `${results.length} messages found`}
            {search.page?.hasNextPage ? ', more available' : ''}
          </p>
        )}
        {results.length > 0 && (
          <ol className="search-results" aria-label={`Messages matching ${search.query.trim()}`} onKeyDown={(e) => moveWithArrows(e, root.current, input.current)}>
            {results.map((hit) => (
              <li key={hit.message.id}>
                <a
                  className="search-result"
                  href={messagePath(hit.threadId, hit.message.id)}
                  data-message-id={hit.message.id}
                  onClick={(e) => {
                    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                    e.preventDefault();
                    choose(hit);
                  }}
                >
                  <span className="search-result-meta">
                    <span className="search-result-thread">{hit.threadTitle}</span>
                    <span className="search-result-author">{hit.message.author.displayName}</span>
                    <RelativeTime className="search-result-time" iso={hit.message.postedAt} />
                  </span>
                  <span className="search-result-snippet">
                    {snippetParts(hit.snippet).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
                  </span>
                </a>
              </li>
            ))}
          </ol>
        )}
        {search.page?.hasNextPage && (
          <p className="search-more">
            <button type="button" className="button small quiet" onClick={search.more} disabled={search.loading}>
              {search.loading ? 'Loading…' : 'More results'}
            </button>
          </p>
        )}
      </div>
    </div>
  );
}

/** ↑ and ↓ move between results; ↑ on the first goes back to the box. */
function moveWithArrows(event: ReactKeyboardEvent, root: HTMLElement | null, input: HTMLInputElement | null) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const links = [...(root?.querySelectorAll<HTMLElement>('.search-result') ?? [])];
  const at = links.indexOf(document.activeElement as HTMLElement);
  if (at < 0) return;
  event.preventDefault();
  const next = event.key === 'ArrowDown' ? links[at + 1] : at === 0 ? input : links[at - 1];
  next?.focus();
}
