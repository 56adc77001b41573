/** Resolvers' access to the signed-in user, and to users' standing (role, suspension) read fresh. */
import type { Actor } from '../modules/commandDeps.ts';
import { UnauthenticatedError } from '../errors.ts';
import type { Role, UserRow } from '../projections/usersProjection.ts';
import { type StandingRow, standingsByIds } from '../projections/usersQueries.ts';
import type { Context } from './context.ts';
import { createLoader, perContext } from './loader.ts';

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

/**
 * One batching loader per context for users' standing. The context's users
 * loader reads through the process's ReadCache, which keeps who a user is
 * (that never changes); role and suspension do change, from this instance,
 * another one, or `thrds admin grant`, so they are read from the database
 * (batched per tick, kept no longer).
 */
const standings = perContext((ctx) => createLoader((ids) => standingsByIds(ctx.services.db, ids)));

export function standingOf(ctx: Context, userId: string): Promise<StandingRow | null> {
  return standings(ctx)(userId);
}

/** The signed-in user's role now; null when signed out. */
export async function viewerRole(ctx: Context): Promise<Role | null> {
  const viewer = await ctx.viewer();
  return viewer ? ((await standingOf(ctx, viewer.id))?.role ?? null) : null;
}
