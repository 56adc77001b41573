/**
 * Takes every focusable element inside `root` out of the tab order
 * (tabIndex -1) while `active`: the links and buttons a message's rich
 * content brings (Markdown links, attachments, a code block's Copy) that
 * MessageItem does not render itself. A dialog or menu opened from inside is
 * left alone, so its own Tab order works. Watches for content that arrives
 * later (a lazily rendered body) and puts everything back when inactive.
 * Elements that already set a tabindex are the component's own business
 * (MessageItem sets its controls' itself) and are not touched.
 */
import { useLayoutEffect, type RefObject } from 'react';

const focusable = ['a[href]', 'button', 'input', 'textarea', 'select', 'summary'].map((tag) => `${tag}:not([tabindex])`).join(', ');
const exempt = 'dialog, [role="menu"], .message-menu, .edit-form';
const marker = 'data-untabbed';

export function useOutOfTabOrder(root: RefObject<HTMLElement | null>, active: boolean): void {
  useLayoutEffect(() => {
    const el = root.current;
    if (!el || !active) return;
    const sweep = () => {
      for (const node of el.querySelectorAll<HTMLElement>(focusable)) {
        if (node.closest(exempt)) continue;
        node.setAttribute(marker, '');
        node.tabIndex = -1;
      }
    };
    sweep();
    const observer = new MutationObserver(sweep);
    observer.observe(el, { childList: true, subtree: true });
    return () => {
      observer.disconnect();
      for (const node of el.querySelectorAll<HTMLElement>(`[${marker}]`)) {
        node.removeAttribute(marker);
        node.removeAttribute('tabindex');
      }
    };
  }, [root, active]);
}
