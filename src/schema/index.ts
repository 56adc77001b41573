/** Assembles the schema from the type files (imported for their registrations). */
import { builder } from './builder.ts';
import './scalars.ts';
import './refs.ts';
import './user.ts';
import './auth.ts';
import './message.ts';
import './thread.ts';
import './event.ts';
import './presence.ts';
import './typing.ts';
import './mentions.ts';
import './unread.ts';
import './search.ts';
import './attachments.ts';
import './bots.ts';

builder.queryType({ description: 'Reads: threads and messages from the read models, the raw log for audit.' });
builder.mutationType({ description: 'Writes: each appends events to the log. Those that create take an idempotencyKey.' });

export const schema = builder.toSchema({ sortSchema: true });
