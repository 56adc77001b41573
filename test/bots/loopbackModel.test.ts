/** The loopback model speaks Chat Completions streaming over real HTTP, with the faults the bots' tests need. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_REPLY, startLoopbackModel, type LoopbackModel } from '../support/loopbackModel.ts';

let model: LoopbackModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

const chatRequest = (content = 'Hi there', extra: Record<string, unknown> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
  body: JSON.stringify({ model: 'loopback', stream: true, max_tokens: 50, messages: [{ role: 'user', content }], ...extra }),
});

/** The `data:` payloads of an SSE body. */
const events = (body: string): string[] =>
  body
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));

describe('loopback model', () => {
  it('given the default mode, when a streaming completion is requested, then it streams the default reply as OpenAI chunks ending with stop and [DONE]', async () => {
    model = await startLoopbackModel();
    const response = await fetch(`${model.url}/chat/completions`, chatRequest());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const data = events(await response.text());
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { object: string; model: string; choices: { delta: { role?: string; content?: string }; finish_reason: string | null }[] });
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'loopback')).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(DEFAULT_REPLY);
  });

  it('given a request, when it arrives, then its body and headers are recorded in order', async () => {
    model = await startLoopbackModel();
    await (await fetch(`${model.url}/chat/completions`, chatRequest('first'))).text();
    await (await fetch(`${model.url}/chat/completions`, chatRequest('second'))).text();
    expect(model.requests.map((r) => [r.index, r.lastUserContent, r.body.max_tokens, r.headers.authorization])).toEqual([
      [0, 'first', 50, 'Bearer sk-test'],
      [1, 'second', 50, 'Bearer sk-test'],
    ]);
  });

  it('given a reply function and a chunk size, when asked, then the reply is computed from the request and cut into chunks of that size', async () => {
    model = await startLoopbackModel({ mode: { kind: 'reply', text: (r) => `echo: ${r.lastUserContent}`, chunkSize: 3 } });
    const data = events(await (await fetch(`${model.url}/chat/completions`, chatRequest('abc'))).text());
    const contents = data
      .slice(1, -2)
      .map((d) => (JSON.parse(d) as { choices: { delta: { content: string } }[] }).choices[0]?.delta.content);
    expect(contents).toEqual(['ech', 'o: ', 'abc']);
  });

  it('given scripted modes per request, when three requests arrive, then each gets its mode', async () => {
    model = await startLoopbackModel();
    model.setMode((index) => (index === 1 ? { kind: 'down', status: 503 } : { kind: 'reply', text: 'ok' }));
    model.queue({ kind: 'down', status: 429 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${model.url}/chat/completions`, chatRequest());
      await response.text();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([429, 503, 200]);
  });

  it('given the down mode, when asked, then it answers 500 with an OpenAI-style error body', async () => {
    model = await startLoopbackModel({ mode: { kind: 'down' } });
    const response = await fetch(`${model.url}/chat/completions`, chatRequest());
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/down/);
  });

  it('given the garbage mode, when asked, then it answers 200 event-stream whose events are not completion chunks', async () => {
    model = await startLoopbackModel({ mode: { kind: 'garbage' } });
    const response = await fetch(`${model.url}/chat/completions`, chatRequest());
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).not.toContain('[DONE]');
    expect(body).not.toContain('chat.completion.chunk');
  });

  it('given the hang mode, when the client aborts, then the response is closed; and close() ends a hanging response too', async () => {
    model = await startLoopbackModel({ mode: { kind: 'hang' } });
    await expect(fetch(`${model.url}/chat/completions`, { ...chatRequest(), signal: AbortSignal.timeout(200) })).rejects.toThrow();
    await expect.poll(() => model?.openResponses).toBe(0);
    const pending = fetch(`${model.url}/chat/completions`, chatRequest());
    await expect.poll(() => model?.openResponses).toBe(1);
    await model.close();
    model = undefined;
    await expect(pending).rejects.toThrow();
  });

  it('given a slow first byte and delayed chunks, when asked, then the headers wait for the delay and the chunks are spaced', async () => {
    model = await startLoopbackModel({ mode: { kind: 'reply', text: 'abcd', chunkSize: 1, chunkDelayMs: 30, firstByteDelayMs: 150 } });
    const started = Date.now();
    const response = await fetch(`${model.url}/chat/completions`, chatRequest());
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await response.text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140 + 3 * 25);
  });

  it('given dropAfterChunks, when asked, then the connection dies after that many content chunks', async () => {
    model = await startLoopbackModel({ mode: { kind: 'reply', text: 'abcdef', chunkSize: 1, dropAfterChunks: 2 } });
    const response = await fetch(`${model.url}/chat/completions`, chatRequest());
    await expect(response.text()).rejects.toThrow();
  });

  it('given a request with stream false, when asked, then it answers one chat.completion JSON with the whole reply', async () => {
    model = await startLoopbackModel({ mode: { kind: 'reply', text: 'whole reply' } });
    const response = await fetch(`${model.url}/chat/completions`, chatRequest('hi', { stream: false }));
    const body = (await response.json()) as { object: string; choices: { message: { role: string; content: string }; finish_reason: string }[] };
    expect([body.object, body.choices[0]?.message, body.choices[0]?.finish_reason]).toEqual(['chat.completion', { role: 'assistant', content: 'whole reply' }, 'stop']);
  });

  it('given GET /v1/models or a bad body, when asked, then it lists the loopback model or refuses with 400', async () => {
    model = await startLoopbackModel();
    const models = (await (await fetch(`${model.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(['loopback']);
    const bad = await fetch(`${model.url}/chat/completions`, { method: 'POST', body: '{"messages": 3}' });
    expect(bad.status).toBe(400);
    expect(model.requests).toHaveLength(0);
  });
});
