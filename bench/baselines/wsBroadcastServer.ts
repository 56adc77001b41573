/**
 * Baseline: a raw `ws` server that broadcasts each published message to
 * every connected socket, serialized once. The floor for server CPU per
 * delivery in Node.
 */
import { randomUUID } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';
import { sendToParent } from '../support/childRuntime.ts';
import { nextFrame, threadEventPayload } from '../support/broadcastFrame.ts';
import { publishServer } from '../support/publishEndpoint.ts';
import '../support/serverProbe.ts';

let position = 0;
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const server = publishServer((body) => {
  const frame = Buffer.from(nextFrame('1', threadEventPayload(++position, randomUUID(), body)));
  for (const client of wss.clients) {
    if (client.readyState === WebSocket.OPEN) client.send(frame, { binary: false });
  }
});
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  sendToParent({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
