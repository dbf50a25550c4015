// A stand-in access node for the SDK's unit tests: a real WebSocket server (the `ws` package) on a free port that
// speaks the native frames, answers CONNECT with CONNACK OK by default, records what the client sent and lets a
// test send anything back, garbage included.
import { WebSocketServer } from 'ws';
import { decodeFrame, encodeFrame, messageIdFromText } from '../dist/index.js';

export class FakeAccessNode {
  static async start(options = {}) {
    const node = new FakeAccessNode(options);
    await new Promise((resolve) => node.server.once('listening', resolve));
    node.port = node.server.address().port;
    node.url = `ws://127.0.0.1:${node.port}/ws`;
    return node;
  }

  constructor(options) {
    this.connack = options.connack ?? { code: 'OK', heartbeatSeconds: 30, message: '' };
    this.connections = [];
    this.server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
    this.server.on('connection', (ws) => {
      const conn = new FakeConnection(ws, this);
      this.connections.push(conn);
    });
  }

  /** Every frame the client sent on any connection, oldest first. */
  get frames() {
    return this.connections.flatMap((c) => c.frames);
  }

  async close() {
    for (const c of this.connections) c.ws.terminate();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

class FakeConnection {
  constructor(ws, node) {
    this.ws = ws;
    this.frames = [];
    this.closed = false;
    ws.on('close', () => (this.closed = true));
    ws.on('message', (data) => {
      const frame = decodeFrame(new Uint8Array(data));
      this.frames.push(frame);
      if (frame.type === 'CONNECT') {
        this.send({ type: 'CONNACK', seq: frame.seq, ...node.connack });
        if (node.connack.code !== 'OK') ws.close();
      } else if (frame.type === 'PING') {
        this.send({ type: 'PONG', seq: frame.seq });
      }
      node.onFrame?.(this, frame);
    });
  }

  send(frame) {
    this.ws.send(encodeFrame(frame));
  }

  sendRaw(bytes) {
    this.ws.send(bytes);
  }

  push(id, { appId = 'demo', text = 'hi', broadcastSeq = 0, replay = false } = {}) {
    const flags = (broadcastSeq > 0 ? 1 : 0) | (replay ? 2 : 0);
    this.send({ type: 'PUSH', seq: 0, flags, messageId: messageIdFromText(id), appId, broadcastSeq: BigInt(broadcastSeq),
      payload: new TextEncoder().encode(text) });
  }

  of(type) {
    return this.frames.filter((f) => f.type === type);
  }
}

/** Waits for a condition, failing after timeoutMs. */
export async function until(condition, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A fresh message id for each call, in text form. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let counter = 0;
export function newId() {
  let n = ++counter;
  let tail = '';
  for (let i = 0; i < 4; i++, n >>= 5) tail = CROCKFORD[n & 31] + tail;
  return '01JDN5XG0028T8KAYDXW0J' + tail;
}
