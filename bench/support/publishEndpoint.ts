/**
 * The HTTP side of every baseline fan-out server: `POST /publish` with the
 * message body, answered once the broadcast has been handed to the sockets
 * (as Thrds answers postMessage once committed), and `/healthz`.
 */
import http from 'node:http';

export function publishServer(onPublish: (body: string) => void): http.Server {
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/publish') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        onPublish(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(204).end();
      });
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
