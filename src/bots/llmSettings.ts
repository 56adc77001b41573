/**
 * Which model the bots talk to (THRDS_LLM_*), read once at start. Without
 * THRDS_LLM_BASE_URL bots are off, and the answer says why (for the log and
 * `thrds bot list`); a URL with a bad companion setting is a start error
 * naming the variable, so a typo never looks like "bots are quiet today".
 * The key is never part of a message.
 */

export interface LlmSettings {
  /** An OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (THRDS_LLM_BASE_URL). */
  readonly baseUrl: string;
  /** THRDS_LLM_API_KEY; absent for local servers that want none. */
  readonly apiKey?: string;
  /** THRDS_LLM_MODEL, e.g. llama3.2. */
  readonly model: string;
  /** The deadline of one model call (THRDS_LLM_TIMEOUT_MS, default 60000). */
  readonly timeoutMs: number;
}

export interface LlmOff {
  /** Why bots are off, one sentence. */
  readonly off: string;
}

export const DEFAULT_LLM_TIMEOUT_MS = 60_000;

export function llmSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): LlmSettings | LlmOff {
  const baseUrl = env.THRDS_LLM_BASE_URL?.trim() ?? '';
  if (baseUrl === '') {
    return { off: 'THRDS_LLM_BASE_URL is not set (point it at an OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 for Ollama)' };
  }
  if (!isHttpUrl(baseUrl)) {
    throw new Error(`THRDS_LLM_BASE_URL must be an http:// or https:// URL, e.g. http://127.0.0.1:11434/v1 (got ${JSON.stringify(withoutCredentials(baseUrl))})`);
  }
  const model = env.THRDS_LLM_MODEL?.trim() ?? '';
  if (model === '') {
    throw new Error("THRDS_LLM_MODEL must be set when THRDS_LLM_BASE_URL is: the model's name on that server, e.g. llama3.2");
  }
  const apiKey = env.THRDS_LLM_API_KEY?.trim() ?? '';
  const timeoutMs = timeoutFrom(env.THRDS_LLM_TIMEOUT_MS);
  return apiKey === '' ? { baseUrl, model, timeoutMs } : { baseUrl, apiKey, model, timeoutMs };
}

function timeoutFrom(value: string | undefined): number {
  const text = value?.trim() ?? '';
  if (text === '') return DEFAULT_LLM_TIMEOUT_MS;
  const ms = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(ms) || ms < 1) {
    throw new Error(`THRDS_LLM_TIMEOUT_MS must be a positive whole number of milliseconds (got ${text})`);
  }
  return ms;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The URL for messages and logs: a user:password@ part could be a secret. */
export function withoutCredentials(value: string): string {
  try {
    const url = new URL(value);
    if (url.username === '' && url.password === '') return value;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return value.replace(/\/\/[^/@]*@/, '//');
  }
}
