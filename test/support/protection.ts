/**
 * Protection for suites that are not about it: every rate limit off and the
 * connection caps high, so a suite that signs up twenty users from 127.0.0.1
 * tests what it means to. Suites about limits pass their own.
 */
import { type ProtectionConfig, protectionFromEnv, RATE_ENV } from '../../src/protection/protectionConfig.ts';

export function relaxedProtection(changes: Partial<ProtectionConfig> = {}): ProtectionConfig {
  const defaults = protectionFromEnv({});
  return {
    ...defaults,
    rates: Object.fromEntries(Object.keys(defaults.rates).map((name) => [name, null])) as unknown as ProtectionConfig['rates'],
    maxConnectionsPerAddress: 100_000,
    maxConnections: 100_000,
    ...changes,
  };
}

/** The same as environment variables, for a server started as its own process (CLI tests, benches). */
export function relaxedProtectionEnv(): Record<string, string> {
  return {
    ...Object.fromEntries(Object.values(RATE_ENV).map(({ variable }) => [variable, 'off'])),
    THRDS_MAX_CONNECTIONS_PER_ADDRESS: '100000',
    THRDS_MAX_CONNECTIONS: '100000',
  };
}
