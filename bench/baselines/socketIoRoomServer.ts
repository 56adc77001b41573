/**
 * Baseline: a minimal socket.io server, one room per thread, each published
 * message broadcast to the room (what people pick for chat). WebSocket
 * transport only, no compression, like the other servers.
 */
import { randomUUID } from 'node:crypto';
import { Server } from 'socket.io';
import { sendToParent } from '../support/childRuntime.ts';
import { threadEventPayload } from '../support/broadcastFrame.ts';
import { publishServer } from '../support/publishEndpoint.ts';
import '../support/serverProbe.ts';

const ROOM = 'thread';
let position = 0;
const server = publishServer((body) => {
  io.to(ROOM).emit('next', { data: threadEventPayload(++position, randomUUID(), body) });
});
const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
io.on('connection', (socket) => {
  socket.on('join', (room: unknown, ack: unknown) => {
    if (room === ROOM) void socket.join(ROOM);
    if (typeof ack === 'function') ack(true);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  sendToParent({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
