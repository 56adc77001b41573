/**
 * Takes a message's controls (buttons, links, fields, in whatever component
 * drew them) out of the tab order while it is not the list's active message,
 * and puts back what they had once it is: the list stays one tab stop, and
 * Tab inside the active message still reaches everything it offers.
 */
import { useLayoutEffect, type RefObject } from 'react';

const focusable = 'a[href], button, input, select, textarea, summary, [tabindex]';

export function useControlsTabbable(root: RefObject<HTMLElement | null>, tabbable: boolean): void {
  // After every render: what the message shows (an edit form, a picker) changes with it.
  useLayoutEffect(() => {
    const el = root.current;
    if (!el || tabbable) return;
    const taken = [...el.querySelectorAll<HTMLElement>(focusable)].filter((c) => c.tabIndex >= 0);
    const had = taken.map((c) => c.getAttribute('tabindex'));
    for (const c of taken) c.tabIndex = -1;
    return () =>
      taken.forEach((c, i) => {
        const before = had[i];
        if (before === null || before === undefined) c.removeAttribute('tabindex');
        else c.setAttribute('tabindex', before);
      });
  });
}
