/** Server configuration from the environment. */
import { DEFAULT_DATABASE_URL } from './db/openDatabase.ts';
import { type ProtectionConfig, protectionFromEnv } from './protection/protectionConfig.ts';

export interface ServerConfig {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  /** Serve the web app at `/` (building it first when missing). */
  readonly serveWeb: boolean;
  /** How often to look for commits by other processes, in ms. */
  readonly pollMs: number;
  /** A WebSocket client with more unsent bytes than this is dropped (1013) and resumes later. */
  readonly wsSendBufferLimit: number;
  /** Redis for instant fan-out across server instances (optional: without it they poll the log). */
  readonly redisUrl: string | undefined;
  /** Limits for clients that are not on our side (protection/protectionConfig.ts). */
  readonly protection: ProtectionConfig;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0–65535 (got ${env.PORT})`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    serveWeb: env.THRDS_SERVE_WEB !== '0',
    pollMs: Number(env.THRDS_POLL_MS ?? 250),
    wsSendBufferLimit: Number(env.THRDS_WS_SEND_BUFFER_LIMIT ?? 4 * 1024 * 1024),
    redisUrl: env.REDIS_URL || undefined,
    protection: protectionFromEnv(env),
  };
}
