/**
 * A browser notification when the viewer is mentioned while the tab is
 * hidden, once they allowed it (the Notification API: the browser asks
 * only when they press "Enable notifications"). The words come from
 * `Query.mentions(first: 1)`: the update that said "mentioned" carries counts.
 */
import { useCallback, useState } from 'react';
import type { Client } from '@urql/core';
import { LatestMentionQuery } from '../api/operations.ts';
import { snippet } from '../thread/MessageItem.tsx';
import { navigate, threadPath } from '../ui/router.ts';

export type NotificationState = NotificationPermission | 'unsupported';

function currentPermission(): NotificationState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export function useNotificationPermission(): { readonly state: NotificationState; request(): void } {
  const [state, setState] = useState<NotificationState>(currentPermission);
  const request = useCallback(() => {
    if (typeof Notification === 'undefined') return;
    void Notification.requestPermission().then(setState);
  }, []);
  return { state, request };
}

export async function notifyMention(client: Client, threadId: string): Promise<void> {
  if (document.visibilityState !== 'hidden' || currentPermission() !== 'granted') return;
  const result = await client.query(LatestMentionQuery, {}).toPromise();
  const node = result.data?.mentions?.edges?.[0]?.node;
  if (!node?.id || node.thread?.id !== threadId) return;
  const who = node.author?.displayName ?? 'Someone';
  const notification = new Notification(`${who} mentioned you in ${node.thread.title ?? 'a thread'}`, {
    body: snippet(node.body ?? '', 140),
    tag: `thrds-mention-${node.id}`,
  });
  notification.onclick = () => {
    window.focus();
    navigate(threadPath(threadId));
    notification.close();
  };
}
