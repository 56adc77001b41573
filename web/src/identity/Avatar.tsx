/**
 * A person's avatar: the picture they uploaded (User.avatarUrl) when there
 * is one and it loads, otherwise their initials on their colour
 * (avatarColour.ts), the same for bots. Decorative for assistive tech: the
 * name beside it says who (the picture's alt is empty).
 */
import { memo, useState, type CSSProperties } from 'react';
import { avatarColours } from './avatarColour.ts';
import { initialsOf } from './initials.ts';

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
  const picture = user.avatarUrl && user.avatarUrl !== failed ? user.avatarUrl : null;
  return (
    <span className={`avatar${user.isBot ? ' bot' : ''}${picture ? ' has-picture' : ''}${className ? ` ${className}` : ''}`} style={style} aria-hidden="true" data-user-id={user.id}>
      {picture ? <img className="avatar-picture" src={picture} alt="" width={36} height={36} decoding="async" loading="lazy" onError={() => setFailed(picture)} /> : initialsOf(user)}
    </span>
  );
});
