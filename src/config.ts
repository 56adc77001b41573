/** Server configuration from the environment. */
import { DEFAULT_DB_TIMEOUT_MS } from './db/deadline.ts';
import { DEFAULT_DATABASE_URL } from './db/openDatabase.ts';
import { checkReadDatabaseUrl } from './db/readReplica.ts';
import { type ProtectionConfig, protectionFromEnv } from './protection/protectionConfig.ts';
import { type UploadSettings, uploadSettingsFromEnv } from './attachments/uploadSettings.ts';
import { type BotSettings, botSettingsFromEnv } from './bots/botSettings.ts';
import { type LlmOff, type LlmSettings, llmSettingsFromEnv } from './bots/llmSettings.ts';

export interface ServerConfig {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  /** DATABASE_READ_URL: a MariaDB/MySQL replica of DATABASE_URL that queries and the log feed read from (db/readReplica.ts). */
  readonly readDatabaseUrl: string | undefined;
  /** THRDS_REPLICA_WAIT_MS: how long a query waits for the replica to apply its session's last write before it reads the primary. */
  readonly replicaWaitMs: number;
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
  /** The deadline of every database operation and transaction, in ms: past it the request fails UNAVAILABLE. */
  readonly dbTimeoutMs: number;
  /** Appends waiting for the database at most; more are refused UNAVAILABLE at once. */
  readonly appendQueueLimit: number;
  /** How long a SIGTERM may take to let in-flight work finish before connections are cut, in ms. */
  readonly drainMs: number;
  /** During a drain, the server keeps listening until no request has come for this long (ms), within the drain. */
  readonly drainQuietMs: number;
  /** THRDS_METRICS_TOKEN: when set, /metrics answers only `Authorization: Bearer <token>` (401 otherwise). */
  readonly metricsToken: string | undefined;
  /** THRDS_FILES_DIR, THRDS_MAX_UPLOAD_BYTES: where attachments live and how large one may be (attachments/uploadSettings.ts). */
  readonly uploads: UploadSettings;
  /** THRDS_LLM_*: the model bots talk to, or why bots are off (bots/llmSettings.ts). */
  readonly llm: LlmSettings | LlmOff;
  /** THRDS_BOT_*: the companion's limits (bots/botSettings.ts). */
  readonly bots: BotSettings;
  /** THRDS_BOTS_DIR: character cards added or updated at start (bots/botsDir.ts). */
  readonly botsDir: string | undefined;
}

function nonNegativeInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  return env[name] === '0' ? 0 : positiveInteger(env, name, fallback);
}

/** A positive whole number from the environment, or `fallback`; anything else stops the start with a clear message. */
function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number (got ${text})`);
  return value;
}

/** DATABASE_READ_URL, refused at start unless it and DATABASE_URL are both MariaDB/MySQL. */
function readDatabaseUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.DATABASE_READ_URL || undefined;
  if (url !== undefined) checkReadDatabaseUrl(url, env.DATABASE_URL || DEFAULT_DATABASE_URL);
  return url;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0–65535 (got ${env.PORT})`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    readDatabaseUrl: readDatabaseUrlFromEnv(env),
    replicaWaitMs: nonNegativeInteger(env, 'THRDS_REPLICA_WAIT_MS', 500),
    serveWeb: env.THRDS_SERVE_WEB !== '0',
    pollMs: Number(env.THRDS_POLL_MS ?? 250),
    wsSendBufferLimit: Number(env.THRDS_WS_SEND_BUFFER_LIMIT ?? 4 * 1024 * 1024),
    redisUrl: env.REDIS_URL || undefined,
    protection: protectionFromEnv(env),
    dbTimeoutMs: positiveInteger(env, 'THRDS_DB_TIMEOUT_MS', DEFAULT_DB_TIMEOUT_MS),
    appendQueueLimit: positiveInteger(env, 'THRDS_APPEND_QUEUE_LIMIT', 10_000),
    drainMs: positiveInteger(env, 'THRDS_DRAIN_MS', 10_000),
    drainQuietMs: nonNegativeInteger(env, 'THRDS_DRAIN_QUIET_MS', 1000),
    metricsToken: env.THRDS_METRICS_TOKEN || undefined,
    uploads: uploadSettingsFromEnv(env),
    llm: llmSettingsFromEnv(env),
    bots: botSettingsFromEnv(env),
    botsDir: env.THRDS_BOTS_DIR || undefined,
  };
}
