/** Listens for the keys of keyMap.ts on the whole page and does what each asks. */
import { useEffect, useRef } from 'react';
import { neighbourThread, shortcutFor } from './keyMap.ts';
import { navigate, threadPath } from '../ui/router.ts';

export interface ShortcutTargets {
  /** Thread ids in the order the list shows them. */
  readonly threadIds: readonly string[];
  readonly currentId: string | null;
  readonly onHelp: () => void;
}

export function useShortcuts(targets: ShortcutTargets): void {
  // The listener is added once; it reads the latest list through the ref.
  const latest = useRef(targets);
  latest.current = targets;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const action = shortcutFor(event, event.target instanceof HTMLElement ? event.target : null);
      if (!action) return;
      event.preventDefault();
      const { threadIds, currentId, onHelp } = latest.current;
      if (action === 'help') return onHelp();
      if (action === 'new-thread') return focusNewThread();
      const next = neighbourThread(threadIds, currentId, action === 'next-thread' ? 1 : -1);
      if (next && next !== currentId) navigate(threadPath(next));
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

/** On a phone the list is hidden while a thread is open: go back to it first. */
function focusNewThread() {
  const find = () => document.querySelector<HTMLInputElement>('.new-thread input');
  const input = find();
  if (input && input.offsetParent !== null) return input.focus();
  navigate('/');
  requestAnimationFrame(() => find()?.focus());
}
