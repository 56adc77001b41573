/**
 * The first stops in the tab order: "Skip to messages" and "Skip to
 * composer", hidden until focused. They move focus rather than follow a
 * hash, so the app's router never sees them.
 */
import type { MouseEvent } from 'react';

const targets = [
  { label: 'Skip to messages', selector: '[role="log"]' },
  { label: 'Skip to composer', selector: '.composer textarea' },
] as const;

function skipTo(event: MouseEvent, selector: string) {
  event.preventDefault();
  const target = document.querySelector<HTMLElement>(selector);
  if (!target) return;
  if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.focus();
}

/** Only links to what is on screen: no thread open, no messages or composer to skip to. */
export function SkipLinks({ threadOpen }: { threadOpen: boolean }) {
  if (!threadOpen) return null;
  return (
    <nav className="skip-links" aria-label="Skip links">
      {targets.map(({ label, selector }) => (
        <a key={label} className="skip-link" href="#main" onClick={(e) => skipTo(e, selector)}>
          {label}
        </a>
      ))}
    </nav>
  );
}
