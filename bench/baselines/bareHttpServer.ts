/**
 * Cold-start floor: a bare node:http server answering /healthz, started the
 * same way (node + tsx), so the Thrds figure can be read as "Node and tsx
 * start-up" plus "Thrds' own start-up".
 */
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  if (req.url === '/healthz') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  else res.writeHead(404).end();
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
