import type { IncomingMessage } from 'node:http';

/** How much of a refused body is still read and thrown away, and for how long, before the connection is closed. */
const LINGER_BYTES = 8 * 1024 * 1024;
const LINGER_MS = 3_000;

/**
 * For an answer given before the request body was read to its end (413, or an upstream refusal):
 * keep reading and discarding the rest for a bounded time and size, then close. Closing a socket with
 * unread bytes makes TCP reset the connection, and the client's write (or read) then fails with
 * EPIPE/ECONNRESET before it sees the answer; this is the lingering close nginx and Go's server do.
 * A body that ends within the bounds leaves the connection usable.
 */
export function lingerOnUnreadBody(req: IncomingMessage): void {
  if (req.complete) return;
  const socket = req.socket;
  let discarded = 0;
  const close = () => {
    clearTimeout(timer);
    if (!req.complete) socket.destroy();
  };
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) close();
  });
  req.once('end', () => clearTimeout(timer));
  socket.once('close', () => clearTimeout(timer));
  req.resume();
}
