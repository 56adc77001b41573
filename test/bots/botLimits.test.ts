/**
 * The reply limits (src/bots/botLimits.ts) with a clock the test moves, and
 * the THRDS_BOT_* settings (src/bots/botSettings.ts).
 */
import { describe, expect, it } from 'vitest';
import { BotLimits } from '../../src/bots/botLimits.ts';
import { botSettingsFromEnv, DEFAULT_BOT_SETTINGS } from '../../src/bots/botSettings.ts';

const call = { botId: 'pip', threadId: 't1', callerId: 'ana' };

function limits(settings: { repliesPerThreadPerMinute?: number; repliesPerUserPerHour?: number; cooldownMs?: number } = {}) {
  let now = 1_000_000;
  const l = new BotLimits({ repliesPerThreadPerMinute: 3, repliesPerUserPerHour: 5, cooldownMs: 2000, ...settings }, () => now);
  return { l, advance: (ms: number) => (now += ms) };
}

describe('reply limits', () => {
  it('refuses a bot’s reply in a thread past its per-minute count, and allows it again once the oldest is a minute old', () => {
    const { l, advance } = limits();
    for (let i = 0; i < 3; i += 1) {
      expect(l.check(call).ok).toBe(true);
      l.record(call);
      advance(5000);
    }
    expect(l.check(call)).toEqual({ ok: false, reason: 'replies_per_thread' });
    // Another thread, or another bot in this thread, is not held back.
    expect(l.check({ ...call, threadId: 't2' }).ok).toBe(true);
    expect(l.check({ ...call, botId: 'quill' }).ok).toBe(true);
    advance(60_000 - 15_000 + 1);
    expect(l.check(call).ok).toBe(true);
  });

  it('refuses replies to one caller past the per-hour count, whichever thread and bot', () => {
    const { l, advance } = limits({ repliesPerThreadPerMinute: 100 });
    for (let i = 0; i < 5; i += 1) {
      l.record({ ...call, threadId: `t${i}`, botId: i % 2 ? 'pip' : 'quill' });
      advance(1000);
    }
    expect(l.check({ ...call, threadId: 'new' })).toEqual({ ok: false, reason: 'replies_per_user' });
    expect(l.check({ ...call, callerId: 'bob' }).ok).toBe(true);
    advance(3_600_000);
    expect(l.check(call).ok).toBe(true);
  });

  it('asks to wait out the cool-down after a reply in the same thread, and no longer once it has passed', () => {
    const { l, advance } = limits();
    expect(l.check(call)).toEqual({ ok: true, waitMs: 0 });
    l.record(call);
    advance(500);
    expect(l.check(call)).toEqual({ ok: true, waitMs: 1500 });
    expect(l.check({ ...call, threadId: 't2' })).toEqual({ ok: true, waitMs: 0 });
    advance(1500);
    expect(l.check(call)).toEqual({ ok: true, waitMs: 0 });
  });
});

describe('bot settings from the environment', () => {
  it('are the contract’s defaults when nothing is set', () => {
    expect(botSettingsFromEnv({})).toEqual(DEFAULT_BOT_SETTINGS);
    expect(DEFAULT_BOT_SETTINGS).toMatchObject({ repliesPerThreadPerMinute: 6, repliesPerUserPerHour: 60, cooldownMs: 2000, maxReplyChars: 2000, contextTokens: 3000, timeoutMs: 60_000, attempts: 3, retryBaseMs: 1000 });
  });

  it('reads each variable, and refuses a bad value naming the variable', () => {
    expect(botSettingsFromEnv({ THRDS_BOT_RETRIES: '5', THRDS_BOT_COOLDOWN_MS: '0', THRDS_LLM_TIMEOUT_MS: '1500' })).toMatchObject({ attempts: 5, cooldownMs: 0, timeoutMs: 1500 });
    expect(() => botSettingsFromEnv({ THRDS_BOT_RETRIES: '0' })).toThrow(/THRDS_BOT_RETRIES must be a positive whole number \(got 0\)/);
    expect(() => botSettingsFromEnv({ THRDS_BOT_MAX_REPLY_CHARS: '2k' })).toThrow(/THRDS_BOT_MAX_REPLY_CHARS/);
    // The lease: how soon another instance takes over a dead one's bots; renewed every third of it.
    expect(botSettingsFromEnv({ THRDS_BOT_LEASE_MS: '3000' })).toMatchObject({ leaseMs: 3000, renewMs: 1000 });
    expect(botSettingsFromEnv({ THRDS_BOT_LEASE_MS: '60000' })).toMatchObject({ leaseMs: 60_000, renewMs: 5000 });
    expect(() => botSettingsFromEnv({ THRDS_BOT_LEASE_MS: '999' })).toThrow(/THRDS_BOT_LEASE_MS must be at least 1000 \(got 999\)/);
    expect(() => botSettingsFromEnv({ THRDS_BOT_COOLDOWN_MS: '-1' })).toThrow(/THRDS_BOT_COOLDOWN_MS must be a non-negative/);
    expect(() => botSettingsFromEnv({ THRDS_BOT_MAX_REPLY_CHARS: '5000' })).toThrow(/THRDS_BOT_MAX_REPLY_CHARS must be at most 4000/);
  });
});
