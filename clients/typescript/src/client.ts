import { Backoff } from './backoff.js';
import {
  DEFAULT_MAX_FRAME_BYTES, Frame, LENGTH_FIELD_BYTES, HEADER_BYTES, MAX_APPS_PER_CONNECT, PUSH_FLAG_BROADCAST,
  PUSH_FLAG_REPLAY, ROOM_MESSAGE_FLAG_HISTORY,
} from './codec.js';
import { Connection, ConnectionOwner, WebSocketConstructor } from './connection.js';
import { CursorStore, MemoryCursorStore } from './cursor-store.js';
import { ErrorCodeName, HeraldError } from './errors.js';
import { messageIdFromText, messageIdToText } from './message-id.js';
import { PushMessage, RoomJoined, RoomMessage, RoomSent } from './messages.js';
import { RecentIds } from './recent-ids.js';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'backing-off' | 'closed';

/** A device token, or a function asked for one on every (re)connect so that it can be refreshed. */
export type TokenSource = string | (() => string | Promise<string>);

export interface HeraldClientOptions {
  /** Access nodes' WebSocket URLs (`ws://host:7070/ws`); attempts go round the list, first to last. */
  servers: string[];
  deviceId: string;
  /** Apps to log in to on the one connection (1 to 16), each with this device's token. */
  apps: Record<string, TokenSource>;
  /** Where broadcast cursors are kept between runs; default memory (LocalStorageCursorStore in a browser). */
  cursorStore?: CursorStore;
  /** Acknowledge each push once the `push` handlers returned; default true. Off: call {@link HeraldClient.ack}. */
  autoAck?: boolean;
  /** Longest silence before a PING, unless the server's heartbeat is shorter; default 30 000 ms. */
  keepAliveMs?: number;
  /** Reconnect with backoff and jitter between initialMs and maxMs (default 500 to 30 000 ms), or false. */
  reconnect?: false | { initialMs: number; maxMs: number };
  /** How many recent message ids are remembered to drop redeliveries; default 4096. */
  dedupWindow?: number;
  /** Largest frame sent or accepted, length prefix included; default 65 536 (the server's default). */
  maxFrameBytes?: number;
  /** Time allowed for the WebSocket handshake plus the CONNACK; default 10 000 ms. */
  connectTimeoutMs?: number;
  /** How long acknowledgements are gathered into one ACK frame; default 10 ms. */
  ackDelayMs?: number;
  /** The WebSocket class; default the global one, else the `ws` package (Node.js 20). */
  WebSocket?: WebSocketConstructor;
  /** Random numbers for the backoff's jitter (tests); default Math.random. */
  random?: () => number;
}

export interface ConnectedEvent { server: string; heartbeatSeconds: number }

export interface DisconnectedEvent {
  /** The code of the server's DISCONNECT or refusing CONNACK, or the SDK's reason; null when the socket just closed. */
  code: ErrorCodeName | null;
  message: string;
  server: string;
  /** Whether the client will try again by itself. */
  willReconnect: boolean;
}

export interface HeraldEvents {
  /** A message arrived (each id once, within the dedup window). With auto-ACK it is acknowledged after the handlers return. */
  push: (message: PushMessage) => void;
  /** The server accepted the CONNECT (CONNACK OK), first time and after every reconnect. */
  connected: (event: ConnectedEvent) => void;
  /** The connection ended, or the server refused it. */
  disconnected: (event: DisconnectedEvent) => void;
  state: (state: ConnectionState, previous: ConnectionState) => void;
  /** A message of a joined room, in the room's order, each once. */
  roomMessage: (message: RoomMessage) => void;
  /** The app removed this device from a room (ROOM_KICKED); it is not joined again by itself. */
  roomRemoved: (event: { appId: string; roomId: string; code: ErrorCodeName }) => void;
  /** The server refused a frame with an ERROR that answers no request of yours; the connection stays. */
  error: (event: { code: ErrorCodeName; message: string; seq: number }) => void;
}

/** Reasons after which a reconnect would be refused the same way. */
const PERMANENT: ReadonlySet<ErrorCodeName> = new Set<ErrorCodeName>([
  'BAD_TOKEN', 'TOKEN_EXPIRED', 'UNKNOWN_APP', 'TOO_MANY_APPS', 'UNSUPPORTED_VERSION', 'SESSION_REPLACED',
]);

const utf8 = new TextEncoder();

/**
 * A device's connection to Herald access nodes over WebSocket (docs/sdk-typescript.md). Once connected it keeps
 * the connection: PINGs at the server's heartbeat, batched ACKs, drops redeliveries, keeps broadcast cursors,
 * reconnects with backoff over the node list and joins its rooms again.
 */
export class HeraldClient {
  private readonly servers: string[];
  readonly deviceId: string;
  private readonly tokens: Map<string, TokenSource>;
  private readonly cursorStore: CursorStore;
  private readonly autoAck: boolean;
  private readonly keepAliveMs: number;
  private readonly backoff: Backoff | null;
  readonly maxFrameBytes: number;
  readonly connectTimeoutMs: number;
  readonly ackDelayMs: number;
  private readonly WebSocketImpl: WebSocketConstructor | undefined;

  private readonly handlers = new Map<keyof HeraldEvents, Set<(...args: never[]) => void>>();
  private readonly cursors = new Map<string, number>();
  private readonly recentIds: RecentIds;
  /** Rooms joined (app/room → history limit asked), joined again after a reconnect. */
  private readonly rooms = new Map<string, number>();
  /** Newest roomSeq passed on per room, so a rejoin's history is not passed twice. */
  private readonly roomSeqs = new Map<string, number>();
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private current: ConnectionState = 'idle';
  private connection: Connection | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private failedAttempts = 0;
  private serverIndex = 0;
  private cursorsLoaded = false;
  private duplicates = 0;
  private closedResolve: (() => void) | undefined;
  private readonly closedPromise: Promise<void>;
  /** Counts attempts, so an attempt still resolving its tokens knows when it was overtaken. */
  private attempt = 0;

  constructor(options: HeraldClientOptions) {
    if (!options.servers?.length) {
      throw new RangeError('servers: at least one access node URL is required (ws://host:7070/ws)');
    }
    if (!options.deviceId) {
      throw new RangeError('deviceId is required');
    }
    const apps = Object.entries(options.apps ?? {});
    if (apps.length < 1 || apps.length > MAX_APPS_PER_CONNECT) {
      throw new RangeError(`1..${MAX_APPS_PER_CONNECT} apps are required, got ${apps.length}`);
    }
    this.servers = [...options.servers];
    this.deviceId = options.deviceId;
    this.tokens = new Map(apps);
    this.cursorStore = options.cursorStore ?? new MemoryCursorStore();
    this.autoAck = options.autoAck ?? true;
    this.keepAliveMs = positive(options.keepAliveMs ?? 30_000, 'keepAliveMs');
    const reconnect = options.reconnect ?? { initialMs: 500, maxMs: 30_000 };
    this.backoff = reconnect === false ? null : new Backoff(reconnect.initialMs, reconnect.maxMs, options.random);
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (this.maxFrameBytes < LENGTH_FIELD_BYTES + HEADER_BYTES) {
      throw new RangeError(`maxFrameBytes too small: ${this.maxFrameBytes}`);
    }
    this.connectTimeoutMs = positive(options.connectTimeoutMs ?? 10_000, 'connectTimeoutMs');
    this.ackDelayMs = options.ackDelayMs ?? 10;
    this.WebSocketImpl = options.WebSocket;
    this.recentIds = new RecentIds(options.dedupWindow ?? 4096);
    this.closedPromise = new Promise((resolve) => (this.closedResolve = resolve));
    this.owner = {
      maxFrameBytes: this.maxFrameBytes,
      ackDelayMs: this.ackDelayMs,
      connectTimeoutMs: this.connectTimeoutMs,
      connectFrame: (seq) => this.connectFrame(seq),
      heartbeatMs: (s) => (s > 0 ? Math.min(s * 1000, this.keepAliveMs) : this.keepAliveMs),
      handshakeSucceeded: (c, s) => this.handshakeSucceeded(c, s),
      handlePush: (c, f) => this.handlePush(c, f),
      handleRoomMessage: (f) => this.handleRoomMessage(f),
      roomRemoved: (appId, roomId, code) => {
        this.rooms.delete(roomKey(appId, roomId));
        this.emit('roomRemoved', { appId, roomId, code });
      },
      serverError: (code, message, seq) => this.emit('error', { code, message, seq }),
      connectionEnded: (c) => this.connectionEnded(c),
    };
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends keyof HeraldEvents>(event: E, handler: HeraldEvents[E]): () => void {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(handler as (...args: never[]) => void);
    return () => set!.delete(handler as (...args: never[]) => void);
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The access node of the current connection, or of the next attempt while disconnected. */
  get server(): string {
    return this.servers[this.serverIndex];
  }

  get isConnected(): boolean {
    return this.connection?.isConnected() ?? false;
  }

  /** How many redeliveries of messages the application already had were acknowledged without passing them on. */
  get duplicatesDropped(): number {
    return this.duplicates;
  }

  /** The highest broadcast seq received for the app (or the stored cursor), sent in every CONNECT. */
  broadcastCursor(appId: string): number {
    return this.cursors.get(appId) ?? 0;
  }

  /**
   * Connects, or joins the attempt in progress. Resolves on CONNACK OK; rejects with a {@link HeraldError} when
   * the server refuses (its code), no CONNACK comes in time (HANDSHAKE_TIMEOUT) or the network fails (code
   * null). After a failure a retry can fix, the client keeps trying in the background (the `connected` event
   * tells when it succeeds) until {@link close}.
   */
  connect(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      switch (this.current) {
        case 'closed':
          reject(new Error('the client is closed'));
          return;
        case 'connected':
          resolve();
          return;
        case 'connecting':
          this.waiters.push({ resolve, reject });
          return;
        default:
          clearTimeout(this.reconnectTimer);
          this.waiters.push({ resolve, reject });
          void this.startAttempt();
      }
    });
  }

  /**
   * Says goodbye to the server (DISCONNECT CLIENT_DISCONNECT, after the pending ACKs), closes the connection
   * and stops reconnecting. Resolves once the connection is closed. Idempotent.
   */
  close(): Promise<void> {
    if (this.current !== 'closed') {
      clearTimeout(this.reconnectTimer);
      this.setState('closed');
      if (this.connection) {
        this.connection.disconnect();
      } else {
        this.rejectWaiters(new HeraldError('CLIENT_DISCONNECT', 'the client was closed'));
        this.closedResolve?.();
      }
    }
    return this.closedPromise;
  }

  /**
   * Sends an uplink to one of this client's apps. Resolves with the id the server gave it once stored durably
   * (UPLINK_ACK); the app's server then gets it on its callback URL. Rejects with a {@link HeraldError}:
   * UPLINK_REJECTED (not one of the apps, empty payload, not connected, refused by the server, or the
   * connection ended first — then it may or may not be stored), FRAME_TOO_LARGE (over the frame limit; the
   * connection stays). Nothing is queued while disconnected.
   */
  uplink(appId: string, payload: Uint8Array | string): Promise<string> {
    const bytes = typeof payload === 'string' ? utf8.encode(payload) : payload;
    if (!this.tokens.has(appId)) {
      return Promise.reject(new HeraldError('UPLINK_REJECTED', `app ${appId} is not one of this client's apps ${[...this.tokens.keys()]}`));
    }
    if (bytes.length === 0) {
      return Promise.reject(new HeraldError('UPLINK_REJECTED', 'the payload is empty'));
    }
    const connection = this.connection;
    if (!connection?.isConnected()) {
      return Promise.reject(new HeraldError('UPLINK_REJECTED', 'not connected'));
    }
    return connection
      .request<Extract<Frame, { type: 'UPLINK_ACK' }>>('uplink', (seq) => ({ type: 'UPLINK', seq, appId, payload: bytes.slice() }))
      .then((ack) => messageIdToText(ack.messageId));
  }

  /**
   * Joins a room of one of this client's apps. Resolves once the server added the device; its history (at most
   * historyLimit messages, and the server's own limit) then arrives on `roomMessage`, before any live message.
   * Rejects with ROOM_REJECTED or ROOM_KICKED. After a reconnect the client joins its rooms again by itself.
   */
  async join(appId: string, roomId: string, historyLimit = 0xffff): Promise<RoomJoined> {
    if (!Number.isInteger(historyLimit) || historyLimit < 0 || historyLimit > 0xffff) {
      throw new RangeError(`historyLimit must be 0..65535: ${historyLimit}`);
    }
    const ack = await this.roomRequest('room join', (seq) => ({ type: 'ROOM_JOIN', seq, appId, roomId, historyLimit }));
    this.rooms.set(roomKey(appId, roomId), historyLimit);
    return { appId, roomId, roomSeq: Number(ack.roomSeq), memberCount: ack.memberCount };
  }

  /** Leaves a room; resolves once the server confirmed it (rejects with NOT_IN_ROOM). */
  async leave(appId: string, roomId: string): Promise<void> {
    this.rooms.delete(roomKey(appId, roomId));
    await this.roomRequest('room leave', (seq) => ({ type: 'ROOM_LEAVE', seq, appId, roomId }));
  }

  /**
   * Sends a message to a joined room. Resolves with its id and place once the room ordered it (it also arrives
   * on `roomMessage`, as at every member). Rejects with ROOM_RATE_LIMITED, ROOM_MUTED, NOT_IN_ROOM,
   * ROOM_REJECTED or FRAME_TOO_LARGE.
   */
  async sendToRoom(appId: string, roomId: string, payload: Uint8Array | string): Promise<RoomSent> {
    const bytes = typeof payload === 'string' ? utf8.encode(payload) : payload.slice();
    const ack = await this.roomRequest('room send', (seq) => ({ type: 'ROOM_SEND', seq, appId, roomId, payload: bytes }));
    return { id: messageIdToText(ack.messageId), roomSeq: Number(ack.roomSeq) };
  }

  /**
   * Acknowledges messages when auto-ACK is off: one ACK frame at once, with the cursors of the broadcasts among
   * them. Not connected: dropped (the server sends them again, and the dedup window acknowledges them).
   */
  ack(...messages: PushMessage[]): void {
    const connection = this.connection;
    if (!connection?.isConnected() || messages.length === 0) {
      return;
    }
    for (const m of messages) {
      const cursor = m.broadcast ? { appId: m.appId, broadcastSeq: BigInt(m.broadcastSeq) } : undefined;
      connection.ack(messageIdFromText(m.id), cursor);
    }
    connection.flushAcks();
  }

  // --- the connection's owner side ----------------------------------------------------------------------------

  private readonly owner: ConnectionOwner;

  private resolvedTokens = new Map<string, string>();

  private async startAttempt(): Promise<void> {
    this.setState('connecting');
    const attempt = ++this.attempt;
    const url = this.server;
    let WebSocketImpl: WebSocketConstructor;
    try {
      await this.loadCursors();
      WebSocketImpl = await this.webSocketClass();
      const resolved = new Map<string, string>();
      for (const [app, token] of this.tokens) {
        resolved.set(app, typeof token === 'function' ? await token() : token);
      }
      this.resolvedTokens = resolved;
    } catch (e) {
      if (attempt === this.attempt && this.current === 'connecting') {
        this.attemptFailed(null, `cannot prepare the connection: ${(e as Error).message}`, false);
      }
      return;
    }
    if (attempt !== this.attempt || this.current !== 'connecting') {
      return; // closed (or overtaken) while the tokens were coming
    }
    try {
      this.connection = new Connection(this.owner, url, WebSocketImpl);
    } catch (e) {
      this.attemptFailed(null, `cannot open a WebSocket to ${url}: ${(e as Error).message}`, false);
    }
  }

  private async loadCursors(): Promise<void> {
    if (this.cursorsLoaded) {
      return;
    }
    for (const app of this.tokens.keys()) {
      const stored = await this.cursorStore.load(app);
      this.cursors.set(app, Math.max(this.cursors.get(app) ?? 0, stored ?? 0));
    }
    this.cursorsLoaded = true;
  }

  private async webSocketClass(): Promise<WebSocketConstructor> {
    if (this.WebSocketImpl) {
      return this.WebSocketImpl;
    }
    const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (global) {
      return global;
    }
    try {
      const ws = await import('ws');
      return (ws.default ?? ws) as unknown as WebSocketConstructor;
    } catch (e) {
      throw new Error(`no global WebSocket here and the ws package cannot be loaded (npm install ws): ${(e as Error).message}`);
    }
  }

  private connectFrame(seq: number): Frame {
    const keepAliveSeconds = Math.min(0xffff, Math.max(1, Math.ceil(this.keepAliveMs / 1000)));
    const apps = [...this.tokens.keys()].map((appId) => ({
      appId,
      token: this.resolvedTokens.get(appId) ?? '',
      broadcastCursor: BigInt(this.cursors.get(appId) ?? 0),
    }));
    return { type: 'CONNECT', seq, keepAliveSeconds, deviceId: this.deviceId, apps };
  }

  private handshakeSucceeded(connection: Connection, heartbeatSeconds: number): void {
    if (connection !== this.connection || this.current !== 'connecting') {
      return;
    }
    this.failedAttempts = 0;
    connection.announced = true;
    this.setState('connected');
    this.emit('connected', { server: connection.url, heartbeatSeconds });
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w.resolve());
    this.rejoinRooms();
  }

  private rejoinRooms(): void {
    for (const [key, historyLimit] of this.rooms) {
      const slash = key.indexOf('/');
      const appId = key.slice(0, slash);
      const roomId = key.slice(slash + 1);
      this.roomRequest('room join', (seq) => ({ type: 'ROOM_JOIN', seq, appId, roomId, historyLimit })).catch((e: unknown) => {
        if (e instanceof HeraldError && e.code === 'ROOM_KICKED') {
          this.rooms.delete(key);
          this.emit('roomRemoved', { appId, roomId, code: 'ROOM_KICKED' });
        }
        // Otherwise the connection ended meanwhile: the next one joins again.
      });
    }
  }

  private handlePush(connection: Connection, frame: Extract<Frame, { type: 'PUSH' }>): void {
    const id = messageIdToText(frame.messageId);
    if (this.recentIds.has(id)) {
      // Handled before: the server did not get (or lost) our ACK. Confirm again, quietly.
      this.duplicates++;
      connection.ack(frame.messageId);
      return;
    }
    const broadcast = (frame.flags & PUSH_FLAG_BROADCAST) !== 0;
    const message = new PushMessage(id, frame.appId, Number(frame.broadcastSeq), broadcast,
      (frame.flags & PUSH_FLAG_REPLAY) !== 0, frame.payload);
    if (!this.emit('push', message)) {
      return; // a handler failed: left unacknowledged, the server sends it again
    }
    this.recentIds.add(id);
    let cursorMoved = false;
    if (broadcast && message.broadcastSeq > (this.cursors.get(frame.appId) ?? 0)) {
      this.cursors.set(frame.appId, message.broadcastSeq);
      cursorMoved = true;
      this.saveCursor(frame.appId, message.broadcastSeq);
    }
    if (this.autoAck) {
      connection.ack(frame.messageId, cursorMoved ? { appId: frame.appId, broadcastSeq: frame.broadcastSeq } : undefined);
    }
  }

  private saveCursor(appId: string, seq: number): void {
    try {
      Promise.resolve(this.cursorStore.save(appId, seq)).catch((e: unknown) => warn(`cannot save the cursor of ${appId}`, e));
    } catch (e) {
      warn(`cannot save the cursor of ${appId}`, e);
    }
  }

  private handleRoomMessage(frame: Extract<Frame, { type: 'ROOM_MESSAGE' }>): void {
    const key = roomKey(frame.appId, frame.roomId);
    const roomSeq = Number(frame.roomSeq);
    const last = this.roomSeqs.get(key);
    if (last !== undefined && roomSeq <= last) {
      return;
    }
    this.roomSeqs.set(key, roomSeq);
    this.emit('roomMessage', new RoomMessage(messageIdToText(frame.messageId), frame.appId, frame.roomId, roomSeq,
      frame.senderId, Number(frame.sentAt), (frame.flags & ROOM_MESSAGE_FLAG_HISTORY) !== 0, frame.payload));
  }

  private roomRequest(what: string, build: (seq: number) => Frame): Promise<Extract<Frame, { type: 'ROOM_ACK' }>> {
    const connection = this.connection;
    if (!connection?.isConnected()) {
      return Promise.reject(new HeraldError('ROOM_REJECTED', 'not connected'));
    }
    return connection.request(what, build);
  }

  private connectionEnded(connection: Connection): void {
    if (connection !== this.connection) {
      return;
    }
    this.connection = undefined;
    const wasConnected = connection.announced;
    const reason = connection.closeReason;
    const message = connection.closeMessage ?? (wasConnected ? 'connection closed' : 'connection closed before CONNACK');
    connection.failPending(message);
    if (this.current === 'closed') {
      this.rejectWaiters(new HeraldError('CLIENT_DISCONNECT', 'the client was closed'));
      if (wasConnected) {
        this.emit('disconnected', { code: 'CLIENT_DISCONNECT', message: 'closed by the client', server: connection.url, willReconnect: false });
      }
      this.closedResolve?.();
      return;
    }
    this.attemptFailed(reason, message, wasConnected, connection);
  }

  private attemptFailed(reason: ErrorCodeName | null, message: string, wasConnected: boolean, connection?: Connection): void {
    const byServer = connection?.closedByServer ?? false;
    if (!wasConnected) {
      this.rejectWaiters(new HeraldError(reason, message));
    }
    // A CONNECT refused as malformed (device id shape, an app listed twice) would be refused again.
    const permanent = (byServer && reason !== null && PERMANENT.has(reason)) || (connection?.refused === true && reason === 'MALFORMED_FRAME');
    const willReconnect = !permanent && this.backoff !== null;
    if (wasConnected || byServer) {
      this.emit('disconnected', { code: reason, message, server: connection?.url ?? this.server, willReconnect });
    }
    if (!willReconnect || this.current === 'closed') {
      if (this.current !== 'closed') {
        this.setState('idle');
      }
      return;
    }
    const delay = this.backoff!.delayMs(this.failedAttempts++);
    // The node may be gone for good (killed, partitioned): the next attempt goes to the next one.
    this.serverIndex = (this.serverIndex + 1) % this.servers.length;
    this.setState('backing-off');
    this.reconnectTimer = setTimeout(() => {
      if (this.current === 'backing-off') {
        void this.startAttempt();
      }
    }, delay);
  }

  private rejectWaiters(error: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w.reject(error));
  }

  private setState(state: ConnectionState): void {
    const previous = this.current;
    if (previous !== state) {
      this.current = state;
      this.emit('state', state, previous);
    }
  }

  /** Calls the handlers; false when one threw (it is reported on the console, the connection goes on). */
  private emit<E extends keyof HeraldEvents>(event: E, ...args: Parameters<HeraldEvents[E]>): boolean {
    let ok = true;
    for (const handler of this.handlers.get(event) ?? []) {
      try {
        (handler as unknown as (...a: unknown[]) => void)(...args);
      } catch (e) {
        ok = false;
        warn(`a ${event} handler of device ${this.deviceId} failed`, e);
      }
    }
    return ok;
  }
}

function roomKey(appId: string, roomId: string): string {
  return `${appId}/${roomId}`;
}

function positive(value: number, name: string): number {
  if (!(value > 0)) {
    throw new RangeError(`${name} must be positive, got ${value}`);
  }
  return value;
}

function warn(what: string, e: unknown): void {
  console.warn(`herald-push: ${what}:`, e);
}
