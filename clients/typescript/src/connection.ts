/**
 * The protocol on one WebSocket of a HeraldClient: CONNECT on open, CONNACK, pushes and their batched ACKs,
 * uplinks and room requests with their answers, heartbeats. A new Connection serves each (re)connection; what
 * outlives one (cursors, recent ids, rooms, handlers) belongs to the client.
 */
import {
  Frame, MAX_IDS_PER_ACK, ProtocolError, UnsupportedOpcodeError, decodeFrame, encodeFrame,
} from './codec.js';
import { ErrorCodeName, HeraldError } from './errors.js';

/** The part of the WebSocket API the SDK uses: the browser's, Node's global one (22+) and the `ws` package's. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

const OPEN = 1;

/** What a Connection needs from its client. */
export interface ConnectionOwner {
  readonly maxFrameBytes: number;
  readonly ackDelayMs: number;
  readonly connectTimeoutMs: number;
  connectFrame(seq: number): Frame;
  heartbeatMs(serverHeartbeatSeconds: number): number;
  handshakeSucceeded(connection: Connection, heartbeatSeconds: number): void;
  handlePush(connection: Connection, frame: Extract<Frame, { type: 'PUSH' }>): void;
  handleRoomMessage(frame: Extract<Frame, { type: 'ROOM_MESSAGE' }>): void;
  roomRemoved(appId: string, roomId: string, code: ErrorCodeName): void;
  serverError(code: ErrorCodeName, message: string, seq: number): void;
  connectionEnded(connection: Connection): void;
}

type Answer = Extract<Frame, { type: 'UPLINK_ACK' | 'ROOM_ACK' }>;

interface Pending {
  what: string;
  resolve(frame: Answer): void;
  reject(error: HeraldError): void;
}

export class Connection {
  private readonly socket: WebSocketLike;
  private seq = 0;
  private connected = false;
  private ended = false;
  /** onConnected was announced for this connection, so its end is reported. */
  announced = false;
  closeReason: ErrorCodeName | null = null;
  closeMessage: string | null = null;
  /** The server ended it with a reason: a refusing CONNACK or a DISCONNECT. */
  closedByServer = false;
  /** The server answered CONNECT with a CONNACK other than OK. */
  refused = false;
  private readonly pending = new Map<number, Pending>();
  private ackIds: Uint8Array[] = [];
  private readonly ackCursors = new Map<string, bigint>();
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = Date.now();
  private lastReceived = Date.now();

  constructor(private readonly owner: ConnectionOwner, readonly url: string, WebSocketImpl: WebSocketConstructor) {
    this.socket = new WebSocketImpl(url, 'herald.v1');
    this.socket.binaryType = 'arraybuffer';
    this.socket.onopen = () => this.opened();
    this.socket.onmessage = (event) => this.received(event.data);
    this.socket.onclose = (event) => {
      if (this.closeMessage === null) {
        this.closeMessage = `${this.connected ? 'connection closed' : 'connection closed before CONNACK'}`
          + ` (WebSocket close ${event.code ?? '?'}${event.reason ? ' ' + event.reason : ''})`;
      }
      this.end();
    };
    this.socket.onerror = () => {
      // Browsers say nothing more about a failed WebSocket; the close event follows.
      if (this.closeMessage === null && !this.connected) {
        this.closeMessage = `cannot connect to ${url}`;
      }
    };
    this.handshakeTimer = setTimeout(
      () => this.closeWith('HANDSHAKE_TIMEOUT', `no CONNACK within ${owner.connectTimeoutMs} ms`, false),
      owner.connectTimeoutMs,
    );
  }

  isConnected(): boolean {
    return this.connected && !this.ended;
  }

  private opened(): void {
    try {
      this.send(this.owner.connectFrame(this.nextSeq()));
    } catch (e) {
      this.closeWith(null, `cannot send CONNECT: ${(e as Error).message}`, false);
    }
  }

  private received(data: unknown): void {
    if (this.ended) {
      return;
    }
    this.lastReceived = Date.now();
    let frame: Frame;
    try {
      if (!(data instanceof ArrayBuffer)) {
        throw new ProtocolError('MALFORMED_FRAME', 'the server sent a text message; frames travel in binary messages');
      }
      frame = decodeFrame(new Uint8Array(data), this.owner.maxFrameBytes);
    } catch (e) {
      if (e instanceof UnsupportedOpcodeError) {
        // A newer server probing for a feature: skip the frame, say so, keep the connection.
        this.trySend({ type: 'ERROR', seq: e.seq, code: 'UNSUPPORTED_OPCODE', message: e.message });
        return;
      }
      const error = e instanceof ProtocolError ? e : new ProtocolError('MALFORMED_FRAME', String(e));
      this.trySend({ type: 'DISCONNECT', seq: 0, code: error.code, message: error.message });
      this.closeWith(error.code, `the server sent a bad frame: ${error.message}`, false);
      return;
    }
    this.handle(frame);
  }

  private handle(frame: Frame): void {
    switch (frame.type) {
      case 'CONNACK':
        this.handleConnAck(frame);
        break;
      case 'PUSH':
        if (this.connected) {
          this.owner.handlePush(this, frame);
        }
        break;
      case 'PING':
        this.trySend({ type: 'PONG', seq: frame.seq });
        break;
      case 'UPLINK_ACK':
      case 'ROOM_ACK': {
        const pending = frame.seq === 0 ? undefined : this.pending.get(frame.seq);
        if (pending) {
          this.pending.delete(frame.seq);
          pending.resolve(frame);
        } else if (frame.type === 'ROOM_ACK' && frame.kind === 'REMOVED') {
          this.owner.roomRemoved(frame.appId, frame.roomId, frame.code);
        }
        break;
      }
      case 'ROOM_MESSAGE':
        if (this.connected) {
          this.owner.handleRoomMessage(frame);
        }
        break;
      case 'ERROR': {
        const pending = this.pending.get(frame.seq);
        if (pending) {
          this.pending.delete(frame.seq);
          pending.reject(new HeraldError(frame.code, frame.message || `${pending.what} refused`));
        } else {
          this.owner.serverError(frame.code, frame.message, frame.seq);
        }
        break;
      }
      case 'DISCONNECT':
        this.closeWith(frame.code, frame.message || 'the server closed the connection', true);
        break;
      default:
        break; // PONG: its arrival already counted as traffic
    }
  }

  private handleConnAck(frame: Extract<Frame, { type: 'CONNACK' }>): void {
    if (this.connected) {
      return;
    }
    if (frame.code !== 'OK') {
      this.refused = this.closeReason === null;
      this.closeWith(frame.code, frame.message || 'connection refused', true);
      return;
    }
    clearTimeout(this.handshakeTimer);
    this.connected = true;
    const interval = this.owner.heartbeatMs(frame.heartbeatSeconds);
    // PING when nothing else was sent for half an interval; the server answers every PING, so three silent
    // intervals mean it (or the path to it) is gone.
    this.heartbeatTimer = setInterval(() => {
      const now = Date.now();
      if (now - this.lastReceived >= 3 * interval) {
        this.closeWith('HEARTBEAT_TIMEOUT', 'no frame from the server in three heartbeat intervals', false);
      } else if (now - this.lastSent >= interval / 2) {
        this.trySend({ type: 'PING', seq: this.nextSeq() });
      }
    }, Math.max(1, interval / 2));
    this.owner.handshakeSucceeded(this, frame.heartbeatSeconds);
  }

  /** Queues an acknowledgement; ACKs go out as one frame per burst (or at once past the per-frame limit). */
  ack(messageId: Uint8Array, cursor?: { appId: string; broadcastSeq: bigint }): void {
    this.ackIds.push(messageId);
    if (cursor) {
      const before = this.ackCursors.get(cursor.appId);
      if (before === undefined || cursor.broadcastSeq > before) {
        this.ackCursors.set(cursor.appId, cursor.broadcastSeq);
      }
    }
    if (this.ackIds.length >= MAX_IDS_PER_ACK) {
      this.flushAcks();
    } else if (this.ackTimer === undefined) {
      this.ackTimer = setTimeout(() => this.flushAcks(), this.owner.ackDelayMs);
    }
  }

  flushAcks(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.ackIds.length === 0 && this.ackCursors.size === 0) {
      return;
    }
    const cursors = [...this.ackCursors].map(([appId, broadcastSeq]) => ({ appId, broadcastSeq }));
    const ids = this.ackIds;
    this.ackIds = [];
    this.ackCursors.clear();
    let from = 0;
    do {
      const to = Math.min(ids.length, from + MAX_IDS_PER_ACK);
      this.trySend({ type: 'ACK', seq: this.nextSeq(), messageIds: ids.slice(from, to), cursors: to === ids.length ? cursors : [] });
      from = to;
    } while (from < ids.length);
  }

  /**
   * Sends a request answered by its seq (UPLINK: UPLINK_ACK; room frames: ROOM_ACK) or an ERROR with that
   * seq. A frame over the frame limit is refused here, with FRAME_TOO_LARGE, and the connection stays.
   */
  request<T extends Answer>(what: string, build: (seq: number) => Frame): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const seq = this.nextSeq();
      let bytes: Uint8Array;
      try {
        bytes = this.encode(build(seq));
      } catch (e) {
        reject(e);
        return;
      }
      this.pending.set(seq, { what, resolve: resolve as (frame: Answer) => void, reject });
      this.socket.send(bytes);
      this.lastSent = Date.now();
    });
  }

  /** Says goodbye (DISCONNECT CLIENT_DISCONNECT, after the pending ACKs) and closes. */
  disconnect(): void {
    if (this.ended) {
      return;
    }
    this.closeReason = 'CLIENT_DISCONNECT';
    this.closeMessage = 'closed by the client';
    if (this.connected) {
      this.flushAcks();
    }
    this.trySend({ type: 'DISCONNECT', seq: this.nextSeq(), code: 'CLIENT_DISCONNECT', message: this.closeMessage });
    this.closeSocket();
    // The server closes on our DISCONNECT; if it does not answer, do not wait for it.
    this.closeTimer = setTimeout(() => this.end(), Math.min(2000, this.owner.connectTimeoutMs));
  }

  /** Ends the connection for a reason; the client hears of it at once (the socket may take longer to close). */
  closeWith(code: ErrorCodeName | null, message: string, byServer: boolean): void {
    if (this.ended) {
      return;
    }
    if (this.closeReason === null) {
      this.closeReason = code;
      this.closeMessage = message;
      this.closedByServer = byServer;
    }
    this.closeSocket();
    this.end();
  }

  /** Fails the requests still waiting for an answer: the connection ended. */
  failPending(reason: string): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      const code: ErrorCodeName = p.what === 'uplink' ? 'UPLINK_REJECTED' : 'ROOM_REJECTED';
      const maybe = p.what === 'uplink' ? '; the uplink may or may not be stored' : '';
      p.reject(new HeraldError(code, `the connection ended before the answer to the ${p.what} (${reason})${maybe}`));
    }
  }

  private closeSocket(): void {
    const socket = this.socket as WebSocketLike & { terminate?: () => void };
    try {
      if (socket.readyState === OPEN) {
        socket.close(1000);
      } else if (typeof socket.terminate === 'function') {
        socket.terminate();
      } else {
        socket.close();
      }
    } catch {
      // already closing
    }
  }

  private end(): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.ackTimer);
    clearTimeout(this.closeTimer);
    clearInterval(this.heartbeatTimer);
    this.socket.onmessage = null;
    this.owner.connectionEnded(this);
  }

  private encode(frame: Frame): Uint8Array {
    const bytes = encodeFrame(frame);
    if (bytes.length > this.owner.maxFrameBytes) {
      throw new HeraldError('FRAME_TOO_LARGE',
        `the ${frame.type} frame would be ${bytes.length} bytes, over the frame limit of ${this.owner.maxFrameBytes}`
        + ` (payload up to ${this.owner.maxFrameBytes - (bytes.length - payloadLength(frame))} bytes); nothing was sent`);
    }
    return bytes;
  }

  private send(frame: Frame): void {
    const bytes = this.encode(frame);
    this.socket.send(bytes);
    this.lastSent = Date.now();
  }

  /** Sends if the socket is open; a frame that cannot go out now is not worth an error (the close follows). */
  private trySend(frame: Frame): void {
    if (this.socket.readyState !== OPEN) {
      return;
    }
    try {
      this.send(frame);
    } catch {
      // the socket is closing
    }
  }

  private nextSeq(): number {
    this.seq = (this.seq + 1) >>> 0;
    return this.seq;
  }
}

function payloadLength(frame: Frame): number {
  return 'payload' in frame ? frame.payload.length : 0;
}
