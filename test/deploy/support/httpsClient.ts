/** HTTPS requests and an SSE reader that trust one certificate (the test's own), through node:https. */
import { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request } from 'node:https';

export interface HttpsAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface HttpsOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Resolves at the response headers; a proxy that holds them back (buffering) fails after `ms`. */
function send(url: string, ca: string, options: HttpsOptions, ms = 5000): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, ca }, (response) => {
      clearTimeout(timer);
      resolve(response);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no response headers from ${url} within ${ms} ms`)), ms);
    req.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(options.body);
  });
}

export async function httpsFetch(url: string, ca: string, options: HttpsOptions = {}): Promise<HttpsAnswer> {
  const response = await send(url, ca, options);
  let body = '';
  response.setEncoding('utf8');
  for await (const chunk of response) body += chunk as string;
  return { status: response.statusCode ?? 0, headers: response.headers, body };
}

export interface SseStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Resolves with the data of the next `data:` event whose JSON `pick` accepts (or rejects after `ms`). */
  nextEvent<T>(pick: (data: unknown) => T | undefined, ms?: number): Promise<T>;
  close(): void;
}

export async function openSse(url: string, ca: string, options: HttpsOptions = {}): Promise<SseStream> {
  const response = await send(url, ca, { ...options, headers: { accept: 'text/event-stream', ...options.headers } });
  response.setEncoding('utf8');
  const events: unknown[] = [];
  let buffer = '';
  let ended = false;
  let wake = () => {};
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .join('\n');
      if (data) events.push(JSON.parse(data));
    }
    wake();
  });
  response.on('close', () => ((ended = true), wake()));
  return {
    status: response.statusCode ?? 0,
    headers: response.headers,
    async nextEvent(pick, ms = 5000) {
      const deadline = Date.now() + ms;
      for (;;) {
        while (events.length > 0) {
          const picked = pick(events.shift());
          if (picked !== undefined) return picked;
        }
        if (ended) throw new Error('the SSE stream ended');
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching SSE event within ${ms} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => (clearTimeout(timer), resolve());
        });
      }
    },
    close: () => response.destroy(),
  };
}
