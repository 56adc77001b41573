/** The OpenAI-compatible engine against the loopback model, over real HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAiEngine } from '../../src/bots/openaiEngine.ts';
import { EngineError, type ChatTurn } from '../../src/bots/types.ts';
import { freePort } from '../support/freePort.ts';
import { startLoopbackModel, type LoopbackModel } from '../support/loopbackModel.ts';

let model: LoopbackModel;
beforeAll(async () => {
  model = await startLoopbackModel();
});
afterAll(async () => {
  await model.close();
});
beforeEach(() => {
  model.requests.length = 0;
  model.setMode({ kind: 'reply', text: 'Hello there, friend.' });
});

const messages: ChatTurn[] = [
  { role: 'system', content: 'You are Test.' },
  { role: 'user', content: 'Ada: hi', name: 'Ada' },
];

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const pieces: string[] = [];
  for await (const piece of stream) pieces.push(piece);
  return pieces;
}

/** The EngineError a stream ends with (fails the test when it ends without one). */
async function failure(stream: AsyncIterable<string>): Promise<EngineError> {
  try {
    await collect(stream);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('the stream ended without an error');
}

const request = (signal: AbortSignal = AbortSignal.timeout(10_000)) => ({ messages, maxTokens: 120, signal });

describe('openaiEngine', () => {
  it('given a streaming model, when asked, then the pieces arrive in order and join to the reply', async () => {
    model.setMode({ kind: 'reply', text: 'one two three four', chunkSize: 4, chunkDelayMs: 5 });
    const engine = createOpenAiEngine({ baseUrl: model.url, model: 'test-model' });
    const pieces = await collect(engine.stream(request()));
    expect(pieces).toEqual(['one ', 'two ', 'thre', 'e fo', 'ur']);
  });

  it('given a key, when asked, then the request carries model, messages, stream, max_tokens and the Authorization header', async () => {
    const engine = createOpenAiEngine({ baseUrl: model.url, model: 'test-model', apiKey: 'sk-secret-123' });
    await collect(engine.stream(request()));
    const [recorded] = model.requests;
    expect(recorded?.body).toMatchObject({ model: 'test-model', stream: true, max_tokens: 120, messages: [{ role: 'system', content: 'You are Test.' }, { role: 'user', content: 'Ada: hi', name: 'Ada' }] });
    expect(recorded?.headers.authorization).toBe('Bearer sk-secret-123');
  });

  it('given a key, when the engine is described, then the description names the server and model but not the key', () => {
    const engine = createOpenAiEngine({ baseUrl: 'http://user:pw@127.0.0.1:1/v1', model: 'm', apiKey: 'sk-secret-123' });
    expect(engine.description).toBe('openai-compatible http://127.0.0.1:1/v1 m');
    expect(engine.description).not.toContain('sk-secret');
  });

  it('given a model that answers 500 (or 503, 429, 408), when asked, then it fails with a retryable EngineError naming the status', async () => {
    const engine = createOpenAiEngine({ baseUrl: model.url, model: 'm' });
    for (const status of [500, 503, 429, 408]) {
      model.setMode({ kind: 'down', status });
      const error = await failure(engine.stream(request()));
      expect([error.retryable, error.message]).toEqual([true, expect.stringContaining(`HTTP ${status}`)]);
    }
  });

  it('given a model that refuses with 400, 401 or 404, when asked, then it fails with an EngineError that is not retryable', async () => {
    const engine = createOpenAiEngine({ baseUrl: model.url, model: 'm', apiKey: 'sk-secret-123' });
    for (const status of [400, 401, 404]) {
      model.setMode({ kind: 'down', status, message: 'no such model' });
      const error = await failure(engine.stream(request()));
      expect([error.retryable, error.message]).toEqual([false, expect.stringContaining(`HTTP ${status}`)]);
      expect(error.message).not.toContain('sk-secret');
    }
  });

  it('given a model that answers garbage, when asked, then it fails with a retryable "garbage" EngineError and prints nothing', async () => {
    const engine = createOpenAiEngine({ baseUrl: model.url, model: 'm' });
    const printed: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => printed.push(args);
    try {
      for (const body of [undefined, 'data: {"unexpected":true}\n\n', '<html>Bad gateway</html>']) {
        model.setMode(body === undefined ? { kind: 'garbage' } : { kind: 'garbage', body });
        const error = await failure(engine.stream(request()));
        expect([error.retryable, error.message]).toEqual([true, expect.stringContaining('garbage')]);
      }
    } finally {
      console.error = original;
    }
    expect(printed).toEqual([]);
  });

  it('given a model that hangs, when the signal times out, then the stream fails with a retryable deadline error and the connection is closed', async () => {
    model.setMode({ kind: 'hang' });
    const engine = createOpenAiEngine({ baseUrl: model.url, model: 'm' });
    const started = Date.now();
    const error = await failure(engine.stream(request(AbortSignal.timeout(300))));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect([error.retryable, error.message]).toEqual([true, expect.stringContaining('deadline')]);
    await expect.poll(() => model.openResponses).toBe(0);
  });

  it('given a model that stops writing mid-reply, when the signal times out, then the pieces so far arrive and the stream fails retryably', async () => {
    model.setMode({ kind: 'reply', text: 'abcdefgh', chunkSize: 2, chunkDelayMs: 10_000 });
    const engine = createOpenAiEngine({ baseUrl: model.url, model: 'm' });
    const pieces: string[] = [];
    const error = await (async () => {
      try {
        for await (const piece of engine.stream(request(AbortSignal.timeout(400)))) pieces.push(piece);
      } catch (caught) {
        return caught as EngineError;
      }
      throw new Error('the stream ended without an error');
    })();
    expect(pieces).toEqual(['ab']);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.retryable).toBe(true);
  });

  it('given a model whose connection drops mid-reply, when asked, then the stream fails retryably', async () => {
    model.setMode({ kind: 'reply', text: 'abcdefgh', chunkSize: 2, dropAfterChunks: 2 });
    const engine = createOpenAiEngine({ baseUrl: model.url, model: 'm' });
    const error = await failure(engine.stream(request()));
    expect(error.retryable).toBe(true);
  });

  it('given no server on the port, when asked, then it fails with a retryable "cannot reach" EngineError', async () => {
    const engine = createOpenAiEngine({ baseUrl: `http://127.0.0.1:${await freePort()}/v1`, model: 'm' });
    const error = await failure(engine.stream(request()));
    expect([error.retryable, error.message]).toEqual([true, expect.stringContaining('cannot reach the model')]);
  });

  it('given a slow first byte within the deadline, when asked, then the reply still arrives', async () => {
    model.setMode({ kind: 'reply', text: 'late but fine', firstByteDelayMs: 300 });
    const engine = createOpenAiEngine({ baseUrl: model.url, model: 'm' });
    expect((await collect(engine.stream(request()))).join('')).toBe('late but fine');
  });

  it('given a consumer that stops reading early, when it breaks, then the request is ended', async () => {
    model.setMode({ kind: 'reply', text: 'x'.repeat(100), chunkSize: 1, chunkDelayMs: 20 });
    const engine = createOpenAiEngine({ baseUrl: model.url, model: 'm' });
    for await (const piece of engine.stream(request())) {
      expect(piece).toBe('x');
      break;
    }
    await expect.poll(() => model.openResponses).toBe(0);
  });
});
