/** Resolvers' access to the signed-in user. */
import type { Actor } from '../modules/commandDeps.ts';
import { UnauthenticatedError } from '../errors.ts';
import type { UserRow } from '../projections/usersProjection.ts';
import type { Context } from './context.ts';

export async function requireViewer(ctx: Context): Promise<UserRow> {
  const viewer = await ctx.viewer();
  if (!viewer) throw new UnauthenticatedError();
  return viewer;
}

/** The actor of a mutation always comes from the token, never from input. */
export async function requireActor(ctx: Context): Promise<Actor> {
  const viewer = await requireViewer(ctx);
  return { userId: viewer.id, correlationId: ctx.correlationId };
}
