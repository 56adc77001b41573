/**
 * A PNG card's picture as its bot's avatar (`thrds bot add card.png`,
 * THRDS_BOTS_DIR): cleaned and made a WebP thumbnail within 480×480 like any
 * uploaded image (processUpload.ts), stored in the file store, and set by
 * nobody (UserAvatarChanged, actor null), replacing and erasing the one
 * before as a person's change does. The same picture again writes nothing,
 * so a card in THRDS_BOTS_DIR leaves its bot's avatar alone at every start.
 * A picture that does not decode is 'unusable' (the caller says so): the
 * card itself was read from the file and its bot stands, with the avatar it
 * had. Quiet otherwise: the command line prints the outcome, the server's
 * THRDS_BOTS_DIR logs it.
 */
import { createHash } from 'node:crypto';
import type { Attachments } from '../attachments/attachments.ts';
import { processUpload } from '../attachments/processUpload.ts';
import { ValidationError } from '../errors.ts';
import { type CommandDeps, decidedAgainOnConflict, isVersionConflict, metadataFor } from '../modules/commandDeps.ts';
import { decideAvatarChange, removeLeftovers } from '../modules/userAvatarChanged.ts';
import { avatarForChange } from '../projections/usersQueries.ts';

export type BotPictureOutcome = 'set' | 'unchanged' | 'unusable';

export async function setBotPicture(deps: CommandDeps & { readonly attachments: Attachments }, botId: string, png: Uint8Array, correlationId: string): Promise<BotPictureOutcome> {
  const { attachments } = deps;
  let thumbnail;
  try {
    ({ thumbnail } = await processUpload(png, { name: 'card.png', type: 'image/png' }, attachments.images));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return 'unusable';
  }
  if (!thumbnail) return 'unusable';
  const digest = createHash('sha256').update(thumbnail.bytes).digest('hex');
  const replaced = await decidedAgainOnConflict(async () => {
    const current = await avatarForChange(deps.db, botId);
    if (current?.avatar?.sha256 === digest) return undefined;
    const stored = await attachments.files.put(thumbnail.bytes);
    const image = { sha256: stored.sha256, contentType: thumbnail.contentType, byteSize: stored.byteSize, width: thumbnail.width, height: thumbnail.height };
    const request = decideAvatarChange(image, { current }, { userId: botId, correlationId }, deps.newId());
    if (!request) return undefined;
    // Set by nobody (the operator's command), not by the bot.
    await deps.store.append({ ...request, metadata: metadataFor(null, correlationId) });
    return { previous: current?.avatar ?? null };
  }, isVersionConflict);
  if (!replaced) return 'unchanged';
  // The picture replaced, once nothing else refers to its bytes; never fails the change.
  if (replaced.previous) await removeLeftovers(deps, [], [replaced.previous.sha256]);
  return 'set';
}
