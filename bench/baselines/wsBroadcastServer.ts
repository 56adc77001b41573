/**
 * Baseline: a raw `ws` server that broadcasts each published message to
 * every socket in its room, serialized once. The floor for server CPU per
 * delivery in Node. A socket joins the room its URL path names (`/` is the
 * default room, where the fan-out bench's subscribers are); `POST /publish`
 * publishes there, `POST /publish/<room>` to another room (the write-load
 * bench's writers, into rooms nobody subscribes to, as they post into
 * threads nobody watches on Thrds).
 */
import { randomUUID } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';
import { sendToParent } from '../support/childRuntime.ts';
import { nextFrame, threadEventPayload } from '../support/broadcastFrame.ts';
import { publishServer } from '../support/publishEndpoint.ts';
import '../support/serverProbe.ts';

let position = 0;
const rooms = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const server = publishServer((body, room) => {
  const frame = Buffer.from(nextFrame('1', threadEventPayload(++position, randomUUID(), body)));
  for (const client of rooms.get(room) ?? []) {
    if (client.readyState === WebSocket.OPEN) client.send(frame, { binary: false });
  }
});
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    const room = (req.url ?? '/').slice(1);
    let members = rooms.get(room);
    if (!members) rooms.set(room, (members = new Set()));
    members.add(ws);
    ws.on('close', () => members.delete(ws));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  sendToParent({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
