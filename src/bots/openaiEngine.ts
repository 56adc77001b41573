/**
 * The engine for any OpenAI-compatible Chat Completions server (Ollama,
 * llama.cpp, vLLM, LM Studio, hosted APIs), streaming, through the official
 * `openai` client. The client never retries (the reactor does, with its own
 * backoff and limits) and never logs; every failure becomes an EngineError
 * that says whether trying again later could help:
 *
 * - unreachable, timed out, aborted at the deadline, HTTP 408, 429 or 5xx: retryable;
 * - any other HTTP 4xx (bad key, unknown model, refused request): not retryable;
 * - "garbage", retryable: a stream event that is not JSON, or a stream that
 *   ends with no text and no finish_reason (a proxy's error page, a server
 *   that is not a Chat Completions server).
 *
 * The API key goes in the Authorization header and nowhere else: not in
 * `description`, not in an error message (server messages are cut short).
 */
import OpenAI from 'openai';
import { DEFAULT_LLM_TIMEOUT_MS, withoutCredentials, type LlmSettings } from './llmSettings.ts';
import { EngineError, type ChatEngine, type ChatTurn, type EngineRequest } from './types.ts';

/** What the engine needs: LlmSettings, or less in tests (the timeout then is the default). */
export type EngineSettings = Pick<LlmSettings, 'baseUrl' | 'model'> & { readonly apiKey?: string; readonly timeoutMs?: number };

/** A server's error message is cut to this many characters in ours. */
const MAX_SERVER_MESSAGE = 200;

export function createOpenAiEngine(settings: EngineSettings): ChatEngine {
  const client = new OpenAI({
    baseURL: settings.baseUrl,
    // Local servers want no key, but the client refuses to start without one.
    apiKey: settings.apiKey ?? 'not-needed',
    maxRetries: 0,
    // Until the response starts; the request's signal bounds the whole call.
    timeout: settings.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
    // Not from OPENAI_ORG_ID / OPENAI_PROJECT_ID: those belong to whatever else runs on the host.
    organization: null,
    project: null,
    // The client would print unparsable stream events (console.error) itself.
    logLevel: 'off',
  });
  return {
    description: `openai-compatible ${withoutCredentials(settings.baseUrl)} ${settings.model}`,
    stream: (request) => streamReply(client, settings.model, request),
  };
}

async function* streamReply(client: OpenAI, model: string, request: EngineRequest): AsyncGenerator<string> {
  let stream: AsyncIterable<unknown>;
  try {
    stream = await client.chat.completions.create(
      { model, messages: request.messages.map(toMessage), stream: true, max_tokens: request.maxTokens },
      { signal: request.signal },
    );
  } catch (error) {
    throw toEngineError(error, request.signal);
  }
  let wrote = false;
  let finished = false;
  try {
    for await (const chunk of stream) {
      const choice = firstChoice(chunk);
      const piece = choice?.delta?.content;
      if (typeof piece === 'string' && piece !== '') {
        wrote = true;
        yield piece;
      }
      if (typeof choice?.finish_reason === 'string') finished = true;
    }
  } catch (error) {
    throw toEngineError(error, request.signal);
  }
  // The client ends a stream quietly when its signal aborts: for us that is a failure.
  if (request.signal.aborted) throw aborted(request.signal);
  if (!wrote && !finished) throw new EngineError('garbage: the stream ended without any text and without finishing', true);
}

function toMessage(turn: ChatTurn): OpenAI.Chat.ChatCompletionMessageParam {
  const { role, content, name } = turn;
  return name === undefined ? { role, content } : { role, content, name };
}

/** A chunk's first choice, read warily: a server may send anything that parses as JSON. */
function firstChoice(chunk: unknown): { delta?: { content?: unknown }; finish_reason?: unknown } | undefined {
  if (typeof chunk !== 'object' || chunk === null) return undefined;
  const choices = (chunk as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return undefined;
  const choice: unknown = choices[0];
  return typeof choice === 'object' && choice !== null ? (choice as { delta?: { content?: unknown }; finish_reason?: unknown }) : undefined;
}

function toEngineError(error: unknown, signal: AbortSignal): EngineError {
  if (error instanceof EngineError) return error;
  if (signal.aborted || error instanceof OpenAI.APIUserAbortError) return aborted(signal, error);
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new EngineError('the model did not start answering in time', true, { cause: error });
  if (error instanceof OpenAI.APIConnectionError) return new EngineError(`cannot reach the model: ${causeOf(error)}`, true, { cause: error });
  if (error instanceof OpenAI.APIError) {
    const status = error.status;
    // An error event inside a 200 stream: the server failed while writing.
    if (status === undefined) return new EngineError(`the model reported an error: ${short(error.message)}`, true, { cause: error });
    const retryable = status === 408 || status === 429 || status >= 500;
    return new EngineError(`the model answered HTTP ${status}: ${short(error.message)}`, retryable, { cause: error });
  }
  if (error instanceof SyntaxError) return new EngineError('garbage: a stream event is not JSON', true, { cause: error });
  // undici's word for a response body whose connection closed before its end.
  if (error instanceof TypeError && error.message === 'terminated') return new EngineError('the connection to the model closed in the middle of the reply', true, { cause: error });
  return new EngineError(`the model's stream failed: ${short(error instanceof Error ? error.message : String(error))}`, true, { cause: error });
}

function aborted(signal: AbortSignal, cause?: unknown): EngineError {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  return new EngineError(timedOut ? 'the model did not finish before the deadline' : 'the model call was aborted', true, { cause: cause ?? reason });
}

function causeOf(error: Error): string {
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code ?? (cause.cause as NodeJS.ErrnoException | undefined)?.code;
    return short(code ? `${cause.message} (${code})` : cause.message);
  }
  return short(error.message);
}

function short(text: string): string {
  return text.length > MAX_SERVER_MESSAGE ? `${text.slice(0, MAX_SERVER_MESSAGE)}…` : text;
}
