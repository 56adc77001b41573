/**
 * A person's avatar: the picture they uploaded (User.avatarUrl) when there
 * is one and it loads, otherwise their initials on their colour
 * (avatarColour.ts), the same for bots. A picture changed while the app is
 * open shows at once (liveAvatars.ts). Decorative for assistive tech: the
 * name beside it says who (the picture's alt is empty).
 */
import { memo, useState, type CSSProperties } from 'react';
import { avatarColours } from './avatarColour.ts';
import { initialsOf } from './initials.ts';
import { useChangedAvatar } from './liveAvatars.ts';

export interface AvatarUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly isBot?: boolean;
  readonly avatarUrl?: string | null;
}

export const Avatar = memo(function Avatar({ user, className = '' }: { user: AvatarUser; className?: string }) {
  // The URL that failed to load, so a new picture (a new URL) is tried again.
  const [failed, setFailed] = useState<string | null>(null);
  const colours = avatarColours(user.id);
  const style = {
    '--avatar-light': colours.light,
    '--avatar-light-text': colours.lightText,
    '--avatar-dark': colours.dark,
    '--avatar-dark-text': colours.darkText,
  } as CSSProperties;
  // A change seen on the live feed since this row was read wins over the row.
  const changed = useChangedAvatar(user.id);
  const url = changed === undefined ? user.avatarUrl : changed;
  const picture = url && url !== failed ? url : null;
  return (
    <span className={`avatar${user.isBot ? ' bot' : ''}${picture ? ' has-picture' : ''}${className ? ` ${className}` : ''}`} style={style} aria-hidden="true" data-user-id={user.id}>
      {picture ? <img className="avatar-picture" src={picture} alt="" width={36} height={36} decoding="async" loading="lazy" onError={() => setFailed(picture)} /> : initialsOf(user)}
    </span>
  );
});
