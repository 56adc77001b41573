/**
 * "N online" in the header: a button that shows who, on hover, on focus or
 * on a tap, in a small popover (Escape or leaving closes it). People are
 * counted once however many tabs they have; connections are in the title.
 */
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Presence } from '../api/decode.ts';
import { BotBadge } from '../bots/BotBadge.tsx';
import { idsWithSharedNames } from '../identity/sharedNames.ts';

export function OnlinePeople({ presence, meId }: { presence: Presence | null; meId: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const pinned = useRef(false);
  if (!presence) return null;
  const more = presence.people - presence.users.length;
  const shared = idsWithSharedNames(presence.users);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open) {
      pinned.current = false;
      setOpen(false);
    }
  };
  const leave = () => {
    if (!pinned.current) setOpen(false);
  };

  return (
    <div className="online" onMouseEnter={() => setOpen(true)} onMouseLeave={leave} onKeyDown={onKeyDown}>
      <button
        type="button"
        className="online-button"
        aria-expanded={open}
        aria-controls={id}
        data-people={presence.people}
        title={`${presence.people === 1 ? '1 person' : `${presence.people} people`} on ${presence.connections === 1 ? '1 connection' : `${presence.connections} connections`}`}
        onClick={() => {
          pinned.current = !open || !pinned.current;
          setOpen(pinned.current);
        }}
        onFocus={() => setOpen(true)}
        onBlur={(e) => {
          if (!e.currentTarget.parentElement?.contains(e.relatedTarget)) {
            pinned.current = false;
            setOpen(false);
          }
        }}
      >
        <span className="online-dot" aria-hidden="true" />
        <span>
          {presence.people}
          <span className="online-word"> online</span>
        </span>
      </button>
      <div id={id} className="online-popover" role="region" aria-label="People online" hidden={!open}>
        <ul className="people-list">
          {presence.users.map((user) => (
            <li key={user.id} title={`@${user.username}`}>
              {user.displayName}
              {shared.has(user.id) && <span className="message-handle"> @{user.username}</span>}
              <BotBadge user={user} />
              {user.id === meId && <span className="people-you"> (you)</span>}
            </li>
          ))}
        </ul>
        {more > 0 && <p className="people-more">and {more} more</p>}
      </div>
    </div>
  );
}
