/** Short deadlines keep fault tests short: every bound is "deadline + 1 s". */
export const DEADLINE_MS = 2000;

export const faultEnv: Readonly<Record<string, string>> = {
  THRDS_DB_TIMEOUT_MS: String(DEADLINE_MS),
  THRDS_DRAIN_MS: '5000',
  LOG_LEVEL: 'info',
};

/** A server's URL for the same database through another host:port (a proxy, an own instance). */
export function viaPort(databaseUrl: string, port: number): string {
  const url = new URL(databaseUrl);
  url.host = `127.0.0.1:${port}`;
  return url.toString();
}

/**
 * A fault test's reason to skip, unless this is CI (or THRDS_REQUIRE_FAULTS=1): there the
 * machine has what the test needs (.ci/run installs it), so a skip would be a proof silently
 * not run, and the suite fails loudly instead.
 */
export function skipOutsideCi(reason: string | undefined): string | undefined {
  if (reason !== undefined && (process.env.CI === 'true' || process.env.THRDS_REQUIRE_FAULTS === '1')) {
    throw new Error(`this fault test must run in CI but cannot: ${reason}`);
  }
  return reason;
}
