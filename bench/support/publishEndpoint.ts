/**
 * The HTTP side of every baseline server: one POST route that hands the
 * request's body to the baseline, which answers it, and `/healthz`. The
 * fan-out baselines take `POST /publish`, answered once the broadcast has been
 * handed to the sockets (as Thrds answers postMessage once committed).
 */
import http from 'node:http';

/** A server whose `POST <path>` gives `handle` the body as text; `handle` answers on `res`. */
export function postServer(path: string, handle: (body: string, res: http.ServerResponse, rest: string) => void): http.Server {
  const server = http.createServer((req, res) => {
    // `<path>/<rest>` too: `rest` names a room for the baselines that have them.
    const url = req.url ?? '';
    if (req.method === 'POST' && (url === path || url.startsWith(`${path}/`))) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => handle(Buffer.concat(chunks).toString('utf8'), res, url.slice(path.length + 1)));
      return;
    }
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    res.writeHead(404).end();
  });
  // The poster keeps its sockets between phases; do not close them under it.
  server.keepAliveTimeout = 120_000;
  return server;
}

/** `POST /publish` publishes to the default room (''), `POST /publish/<room>` to that room. */
export function publishServer(onPublish: (body: string, room: string) => void): http.Server {
  return postServer('/publish', (body, res, room) => {
    onPublish(body, room);
    res.writeHead(204).end();
  });
}
