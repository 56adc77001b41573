/**
 * A generated avatar: the person's initials on their colour (avatarColour.ts),
 * the same for bots. Decorative for assistive tech: the name beside it says who.
 */
import { memo, type CSSProperties } from 'react';
import { avatarColours } from './avatarColour.ts';
import { initialsOf } from './initials.ts';

export interface AvatarUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly isBot?: boolean;
}

export const Avatar = memo(function Avatar({ user }: { user: AvatarUser }) {
  const colours = avatarColours(user.id);
  const style = {
    '--avatar-light': colours.light,
    '--avatar-light-text': colours.lightText,
    '--avatar-dark': colours.dark,
    '--avatar-dark-text': colours.darkText,
  } as CSSProperties;
  return (
    <span className={`avatar${user.isBot ? ' bot' : ''}`} style={style} aria-hidden="true" data-user-id={user.id}>
      {initialsOf(user)}
    </span>
  );
});
