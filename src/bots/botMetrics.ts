/**
 * The bots on /metrics: answers by outcome, the model's time per answer
 * and to its first piece, and how many bots this instance runs. Times are
 * observed as each answer settles (the reactor's `observe`); counts are
 * read when scraped.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Bots } from './botReactor.ts';

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60, 120];

/** Registers the metrics; returns how to stop observing. */
export function registerBotMetrics(registry: Registry, bots: Pick<Bots, 'stats' | 'observe'>): () => void {
  const registers = [registry];
  new Counter({
    name: 'thrds_bot_answers_total',
    help: 'Calls of a bot settled, by outcome (posted, already_answered, limited, failed, refused, skipped, stopped, lease_lost)',
    labelNames: ['outcome'] as const,
    registers,
    collect() {
      this.reset();
      for (const [outcome, count] of Object.entries(bots.stats.answers)) this.inc({ outcome }, count);
    },
  });
  new Gauge({
    name: 'thrds_bots_held',
    help: 'Bots whose lease this instance holds (and so runs)',
    registers,
    collect() {
      this.set(bots.stats.held);
    },
  });
  const modelSeconds = new Histogram({
    name: 'thrds_bot_model_duration_seconds',
    help: "The model's time for one reply, every attempt and the pauses between them included",
    buckets: SECONDS,
    registers,
  });
  const firstTokenSeconds = new Histogram({
    name: 'thrds_bot_first_token_seconds',
    help: 'From asking the model to its first piece of text, in the attempt that wrote the reply',
    buckets: SECONDS,
    registers,
  });
  return bots.observe((report) => {
    if (report.modelMs !== undefined) modelSeconds.observe(report.modelMs / 1000);
    if (report.firstTokenMs !== undefined) firstTokenSeconds.observe(report.firstTokenMs / 1000);
  });
}
