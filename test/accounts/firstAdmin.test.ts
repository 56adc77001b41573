/**
 * The first account of an empty store is its admin, exactly once: however
 * many registrations find the store empty at the same moment, one becomes
 * ADMIN and the rest MEMBER, and each is registered once. A barrier in front
 * of the real event store holds every first append until all of them have
 * looked, so the race is not left to timing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { register } from '../../src/accounts/accounts.ts';
import { parseCharacterCard } from '../../src/bots/characterCard.ts';
import { addBot } from '../../src/modules/botAdded.ts';
import { createServices } from '../../src/services.ts';
import { barrierStore } from '../support/barrierStore.ts';
import { storeKinds } from '../support/databases.ts';
import { relaxedProtection } from '../support/protection.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';

const kinds = await storeKinds();
const RACERS = 6;


describe.each(kinds)('the first admin on %s', (kind) => {
  let t: TestThrds | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it(`of ${RACERS} registrations that all find the store empty, exactly one becomes ADMIN and every one registers once`, async () => {
    t = await openTestThrds(kind);
    const services = createServices(t, relaxedProtection());
    const deps = { ...services, store: barrierStore(t.store, RACERS) };
    const sessions = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => register(deps, { username: `racer_${i}`, password: 'correct horse', displayName: `Racer ${i}` }, { correlationId: `r${i}`, clientAddress: '127.0.0.1' })),
    );
    const rows = await t.db.query<{ username: string; role: string }>('SELECT username, role FROM users ORDER BY username');
    expect(rows.map((r) => r.username)).toEqual(sessions.map((s) => s.user.username).sort());
    expect(rows.filter((r) => r.role === 'ADMIN')).toHaveLength(1);
    const registered = await t.store.readAll({ types: ['UserRegistered'] });
    expect(registered).toHaveLength(RACERS);
    expect(registered.filter((e) => e.data.role === 'ADMIN')).toHaveLength(1);
  });

  it('still makes the first person admin when bots were added first (THRDS_BOTS_DIR at a first start): bots are not people', async () => {
    t = await openTestThrds(kind);
    const deps = createServices(t, relaxedProtection());
    const card = parseCharacterCard({ spec: 'chara_card_v2', spec_version: '2.0', data: { name: 'Early Bird', description: 'Here before anyone.' } });
    await addBot(deps, null, { card });
    const session = await register(deps, { username: 'first_person', password: 'correct horse', displayName: 'First' }, { correlationId: 'r', clientAddress: '127.0.0.1' });
    const [row] = await t.db.query<{ role: string }>('SELECT role FROM users WHERE id = ?', [session.user.id]);
    expect(row?.role).toBe('ADMIN');
  });

  it('makes nobody admin on a store whose users registered before roles: they are members until `thrds admin grant`', async () => {
    t = await openTestThrds(kind);
    await t.store.append({
      streamId: 'user-a1000000-0000-4000-8000-00000000000a',
      events: [{ type: 'UserRegistered', schemaVersion: 1, data: { userId: 'a1000000-0000-4000-8000-00000000000a', username: 'old_timer', displayName: 'Old' } }],
      metadata: { actorId: null, correlationId: 'test', causationId: null },
    });
    const deps = createServices(t, relaxedProtection());
    const session = await register(deps, { username: 'newcomer', password: 'correct horse', displayName: 'New' }, { correlationId: 'r', clientAddress: '127.0.0.1' });
    const rows = await t.db.query<{ username: string; role: string }>('SELECT username, role FROM users ORDER BY username');
    expect(rows).toEqual([
      { username: session.user.username, role: 'MEMBER' },
      { username: 'old_timer', role: 'MEMBER' },
    ]);
  });
});
