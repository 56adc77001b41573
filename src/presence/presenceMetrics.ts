/** Presence on /metrics: people and connections here and on every instance, and updates sent to watchers. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { PresenceStats } from './presenceTypes.ts';

export function registerPresenceMetrics(registry: Registry, presence: { readonly stats: PresenceStats }): void {
  const registers = [registry];
  new Gauge({
    name: 'thrds_presence_people',
    help: 'Distinct signed-in users with a live connection, on this instance (scope="instance") and on every instance (scope="all")',
    labelNames: ['scope'] as const,
    registers,
    collect() {
      const { here, all } = presence.stats;
      this.set({ scope: 'instance' }, here.people);
      this.set({ scope: 'all' }, all.people);
    },
  });
  new Gauge({
    name: 'thrds_presence_connections',
    help: 'Live connections (WebSocket and SSE, signed in or anonymous), on this instance (scope="instance") and on every instance (scope="all")',
    labelNames: ['scope'] as const,
    registers,
    collect() {
      const { here, all } = presence.stats;
      this.set({ scope: 'instance' }, here.connections);
      this.set({ scope: 'all' }, all.connections);
    },
  });
  new Counter({
    name: 'thrds_presence_updates_sent_total',
    help: 'Presence values handed to subscriptions (one per subscriber per coalesced update)',
    registers,
    collect() {
      this.reset();
      this.inc(presence.stats.updatesSent);
    },
  });
}
