/**
 * The thread's bots in its header: the ones invited, by name with the badge,
 * and for the thread's creator or a moderator a "Bots" menu to add one
 * ("Add a bot…": the active bots not invited yet) or remove one. The server
 * has the last word: what it refuses (FORBIDDEN, NOT_FOUND, a rate limit) is
 * shown as it says it. Escape or a click outside closes the menu.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { User } from '../api/decode.ts';
import { BotBadge } from './BotBadge.tsx';
import type { AvailableBot } from './useBotList.ts';

export interface BotMenuProps {
  readonly invited: readonly User[];
  readonly available: readonly AvailableBot[];
  /** Why the bots could not be listed; null when they were. */
  readonly listError: string | null;
  /** The viewer created the thread or moderates: the menu is offered. */
  readonly canManage: boolean;
  /** The menu opened: the list of bots is asked again. */
  readonly onOpen: () => void;
  readonly invite: (botId: string) => Promise<string | null>;
  readonly remove: (botId: string) => Promise<string | null>;
}

export function BotMenu({ invited, available, listError, canManage, onOpen, invite, remove }: BotMenuProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const act = (botId: string, change: (botId: string) => Promise<string | null>) => {
    setBusy(botId);
    setProblem(null);
    void change(botId).then((failure) => {
      setBusy(null);
      setProblem(failure);
      // Refused: the list may be stale (a bot retired meanwhile), so it is asked again.
      if (failure) onOpen();
    });
  };

  const addable = available.filter((bot) => !invited.some((b) => b.id === bot.id));
  if (invited.length === 0 && !canManage) return null;

  return (
    <div
      className="thread-bots"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) setOpen(false);
      }}
    >
      {invited.length > 0 && (
        <ul className="thread-bot-names" aria-label="Bots in this thread">
          {invited.map((bot) => (
            <li key={bot.id} title={`@${bot.username}`}>
              {bot.displayName} <BotBadge user={{ isBot: true }} />
            </li>
          ))}
        </ul>
      )}
      {canManage && (
        <button
          type="button"
          className="button small quiet bot-menu-button"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => {
            if (!open) {
              onOpen();
              setProblem(null);
            }
            setOpen(!open);
          }}
        >
          Bots
        </button>
      )}
      {canManage && (
        <div id={id} className="bot-menu" role="region" aria-label="Bots of this thread" hidden={!open}>
          {invited.length > 0 && (
            <ul className="bot-menu-list">
              {invited.map((bot) => (
                <li key={bot.id}>
                  <span className="bot-menu-name">
                    {bot.displayName} <BotBadge user={{ isBot: true }} />
                  </span>
                  <button type="button" className="link-button danger" disabled={busy === bot.id} onClick={() => act(bot.id, remove)} aria-label={`Remove ${bot.displayName} from this thread`}>
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
          <p className="bot-menu-heading">Add a bot…</p>
          {listError ? (
            <p className="bot-menu-note error">
              {listError}{' '}
              <button type="button" className="link-button" onClick={onOpen}>
                Try again
              </button>
            </p>
          ) : addable.length === 0 ? (
            <p className="bot-menu-note">{available.length === 0 ? 'No bots yet: an operator adds them with “thrds bot add”.' : 'Every bot is here already.'}</p>
          ) : (
            <ul className="bot-menu-list">
              {addable.map((bot) => (
                <li key={bot.id}>
                  <button
                    type="button"
                    className="bot-menu-add"
                    disabled={busy === bot.id}
                    title={bot.description || undefined}
                    onClick={() => act(bot.id, invite)}
                    aria-label={`Add ${bot.displayName} to this thread`}
                  >
                    <span className="bot-menu-name">{bot.displayName}</span> <span className="mention-username">@{bot.username}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {problem && (
            <p className="bot-menu-note error" role="alert">
              {problem}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
