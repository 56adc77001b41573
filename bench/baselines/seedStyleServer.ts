/**
 * Baseline: the stack the seed chat apps are built on. `POST /messages`
 * with `{ threadId, authorId, body }` does one autocommit INSERT through a
 * mysql2 pool and emits the row to the thread's socket.io room, then answers
 * 201 with it. No ordering beyond AUTO_INCREMENT, no idempotency, no hash
 * chain, no projections: what Thrds' postMessage is measured against.
 * The database (DATABASE_URL, created by the bench) gets its one table here.
 */
import http from 'node:http';
import mysql from 'mysql2/promise';
import { Server } from 'socket.io';
import { failToParent, sendToParent } from '../support/childRuntime.ts';
import { postServer } from '../support/publishEndpoint.ts';
import '../support/serverProbe.ts';

const MESSAGES_TABLE = `CREATE TABLE IF NOT EXISTS messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  thread_id CHAR(36) NOT NULL,
  author_id CHAR(36) NOT NULL,
  body TEXT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  KEY messages_thread (thread_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;

interface NewMessage {
  readonly threadId: string;
  readonly authorId: string;
  readonly body: string;
}

function parseMessage(text: string): NewMessage | undefined {
  const value = JSON.parse(text) as Partial<Record<keyof NewMessage, unknown>>;
  const { threadId, authorId, body } = value;
  return typeof threadId === 'string' && typeof authorId === 'string' && typeof body === 'string' ? { threadId, authorId, body } : undefined;
}

const url = process.env.DATABASE_URL;
if (!url) failToParent(new Error('DATABASE_URL is required'));
const pool = mysql.createPool({ uri: url, connectionLimit: 64, maxIdle: 64, charset: 'utf8mb4_unicode_ci' });

const server = postServer('/messages', (text, res) => {
  void post(text).then(
    (answer) => send(res, answer.status, answer.body),
    (error: unknown) => send(res, 500, JSON.stringify({ error: String(error) })),
  );
});
const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
io.on('connection', (socket) => {
  socket.on('join', (room: unknown) => {
    if (typeof room === 'string') void socket.join(room);
  });
});

/** A JSON answer with its length, as Express's `res.json` sends it. */
function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}

async function post(text: string): Promise<{ status: number; body: string }> {
  const input = parseMessage(text);
  if (!input) return { status: 400, body: '{"error":"threadId, authorId and body are required"}' };
  const createdAt = new Date();
  const [result] = await pool.execute<mysql.ResultSetHeader>('INSERT INTO messages (thread_id, author_id, body, created_at) VALUES (?, ?, ?, ?)', [
    input.threadId,
    input.authorId,
    input.body,
    createdAt,
  ]);
  const message = { id: String(result.insertId), ...input, createdAt: createdAt.toISOString() };
  io.to(input.threadId).emit('message', message);
  return { status: 201, body: JSON.stringify(message) };
}

await pool.query(MESSAGES_TABLE);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  sendToParent({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
