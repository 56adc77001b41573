/** A message's text with its mentions set apart (the viewer's own highlighted) and its links live. */
import { LinkifiedText } from '../ui/LinkifiedText.tsx';
import { mentionParts } from './mentionParts.ts';

export function MessageText({ body, mentions, meUsername }: { body: string; mentions: readonly string[]; meUsername: string }) {
  const me = meUsername.toLowerCase();
  return (
    <>
      {mentionParts(body, mentions).map((part, i) =>
        typeof part === 'string' ? (
          <LinkifiedText key={i} text={part} />
        ) : (
          <span key={i} className={`mention${part.username === me ? ' me' : ''}`} data-username={part.username}>
            {part.text}
          </span>
        ),
      )}
    </>
  );
}
