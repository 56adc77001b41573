/** "Enable notifications" in the header until the viewer has decided; the browser keeps the answer. */
import { useNotificationPermission } from './mentionNotifications.ts';

export function NotificationToggle() {
  const { state, request } = useNotificationPermission();
  if (state !== 'default') return null;
  return (
    <button type="button" className="button quiet small notify-button" onClick={request} title="Be told when someone mentions you while Thrds is in the background">
      Enable notifications
    </button>
  );
}
