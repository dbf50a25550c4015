// herald-push: Herald's TypeScript SDK, built from clients/typescript (npm run build). Do not edit.

// src/backoff.ts
var Backoff = class {
  constructor(initialMs, maxMs, random = Math.random) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.random = random;
    if (!(initialMs > 0) || !(maxMs >= initialMs)) {
      throw new RangeError(`backoff needs 0 < initial <= max, got ${initialMs} and ${maxMs}`);
    }
  }
  delayMs(attempt) {
    const ceiling = Math.max(1, Math.min(this.maxMs, this.initialMs * 2 ** Math.min(attempt, 30)));
    const floor = Math.floor(ceiling / 2);
    return floor + Math.floor(this.random() * (ceiling - floor + 1));
  }
};

// src/errors.ts
var ErrorCode = {
  OK: 0,
  MALFORMED_FRAME: 1,
  UNSUPPORTED_VERSION: 2,
  FRAME_TOO_LARGE: 3,
  UNSUPPORTED_OPCODE: 4,
  NOT_CONNECTED: 5,
  ALREADY_CONNECTED: 6,
  BAD_TOKEN: 7,
  TOKEN_EXPIRED: 8,
  UNKNOWN_APP: 9,
  HANDSHAKE_TIMEOUT: 10,
  HEARTBEAT_TIMEOUT: 11,
  SESSION_REPLACED: 12,
  SERVER_SHUTDOWN: 13,
  CLIENT_DISCONNECT: 14,
  TOO_MANY_APPS: 15,
  UPLINK_REJECTED: 16,
  ROOM_RATE_LIMITED: 17,
  ROOM_MUTED: 18,
  ROOM_KICKED: 19,
  NOT_IN_ROOM: 20,
  ROOM_REJECTED: 21,
  INTERNAL_ERROR: 99
};
var NAMES = new Map(
  Object.keys(ErrorCode).map((name) => [ErrorCode[name], name])
);
function errorCodeName(code) {
  return NAMES.get(code) ?? "INTERNAL_ERROR";
}
var HeraldError = class extends Error {
  constructor(code, message, options) {
    super(message);
    this.name = "HeraldError";
    this.code = code;
    if (options?.cause !== void 0) {
      this.cause = options.cause;
    }
  }
};

// src/message-id.ts
var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
var MESSAGE_ID_BYTES = 16;
function messageIdToText(bytes) {
  if (bytes.length !== MESSAGE_ID_BYTES) {
    throw new RangeError(`a message id has ${MESSAGE_ID_BYTES} bytes, got ${bytes.length}`);
  }
  let n = 0n;
  for (const b of bytes) {
    n = n << 8n | BigInt(b);
  }
  let text = "";
  for (let i = 0; i < 26; i++) {
    text = ALPHABET[Number(n & 31n)] + text;
    n >>= 5n;
  }
  return text;
}
function messageIdFromText(text) {
  if (!/^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$/.test(text)) {
    throw new RangeError(`not a message id (26 characters of Crockford base32): ${text}`);
  }
  let n = 0n;
  for (const c of text.toUpperCase()) {
    n = n << 5n | BigInt(ALPHABET.indexOf(c));
  }
  const bytes = new Uint8Array(MESSAGE_ID_BYTES);
  for (let i = MESSAGE_ID_BYTES - 1; i >= 0; i--) {
    bytes[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return bytes;
}

// src/codec.ts
var VERSION = 1;
var LENGTH_FIELD_BYTES = 4;
var HEADER_BYTES = 7;
var DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
var MAX_STRING_BYTES = 1024;
var MAX_APPS_PER_CONNECT = 16;
var MAX_IDS_PER_ACK = 4096;
var MAX_CURSORS_PER_ACK = 16;
var Opcode = {
  CONNECT: 1,
  CONNACK: 2,
  PING: 3,
  PONG: 4,
  PUSH: 5,
  ACK: 6,
  ERROR: 7,
  DISCONNECT: 8,
  UPLINK: 9,
  UPLINK_ACK: 10,
  ROOM_JOIN: 11,
  ROOM_LEAVE: 12,
  ROOM_SEND: 13,
  ROOM_MESSAGE: 14,
  ROOM_ACK: 15
};
var PUSH_FLAG_BROADCAST = 1;
var PUSH_FLAG_REPLAY = 2;
var ROOM_MESSAGE_FLAG_HISTORY = 1;
var RoomAckKind = { JOINED: 1, LEFT: 2, SENT: 3, REMOVED: 4 };
var ProtocolError = class extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
    this.name = "ProtocolError";
  }
};
var UnsupportedOpcodeError = class extends Error {
  constructor(seq, opcode) {
    super(`opcode 0x${opcode.toString(16)} is not supported`);
    this.seq = seq;
    this.opcode = opcode;
    this.name = "UnsupportedOpcodeError";
  }
};
var utf8 = new TextEncoder();
var utf8Decoder = new TextDecoder();
var ZERO_ID = new Uint8Array(MESSAGE_ID_BYTES);
var Writer = class {
  constructor() {
    this.buf = new Uint8Array(64);
    this.view = new DataView(this.buf.buffer);
    this.length = 0;
  }
  ensure(n) {
    if (this.length + n <= this.buf.length) {
      return;
    }
    let size = this.buf.length * 2;
    while (size < this.length + n) {
      size *= 2;
    }
    const bigger = new Uint8Array(size);
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }
  u8(v) {
    this.ensure(1);
    this.view.setUint8(this.length, v);
    this.length += 1;
    return this;
  }
  u16(v, field) {
    if (!Number.isInteger(v) || v < 0 || v > 65535) {
      throw new RangeError(`${field} must be 0..65535, got ${v}`);
    }
    this.ensure(2);
    this.view.setUint16(this.length, v);
    this.length += 2;
    return this;
  }
  u32(v) {
    this.ensure(4);
    this.view.setUint32(this.length, v >>> 0);
    this.length += 4;
    return this;
  }
  i64(v) {
    this.ensure(8);
    this.view.setBigInt64(this.length, BigInt.asIntN(64, v));
    this.length += 8;
    return this;
  }
  bytes(b) {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  /** An id or name: refused when over the limit, since cutting it would change it. */
  str(s, field) {
    const b = utf8.encode(s ?? "");
    if (b.length > MAX_STRING_BYTES) {
      throw new RangeError(`${field} is ${b.length} bytes of UTF-8, over the protocol's ${MAX_STRING_BYTES}`);
    }
    return this.u16(b.length, field).bytes(b);
  }
  /** A human-readable message: cut at a character boundary to the limit, never refused. */
  message(s) {
    let b = utf8.encode(s ?? "");
    if (b.length > MAX_STRING_BYTES) {
      let end = MAX_STRING_BYTES;
      while (end > 0 && (b[end] & 192) === 128) {
        end--;
      }
      b = b.subarray(0, end);
    }
    return this.u16(b.length, "message").bytes(b);
  }
  payload(p) {
    return this.u32(p.length).bytes(p);
  }
  id(id) {
    const b = id ?? ZERO_ID;
    if (b.length !== MESSAGE_ID_BYTES) {
      throw new RangeError(`a message id has ${MESSAGE_ID_BYTES} bytes, got ${b.length}`);
    }
    return this.bytes(b);
  }
  result() {
    return this.buf.slice(0, this.length);
  }
};
function encodeFrame(frame) {
  const w = new Writer();
  const flags = frame.type === "PUSH" || frame.type === "ROOM_MESSAGE" ? frame.flags : 0;
  w.u32(0).u8(VERSION).u8(Opcode[frame.type]).u8(flags).u32(frame.seq);
  switch (frame.type) {
    case "CONNECT":
      if (frame.apps.length < 1 || frame.apps.length > MAX_APPS_PER_CONNECT) {
        throw new RangeError(`a CONNECT names 1..${MAX_APPS_PER_CONNECT} apps, got ${frame.apps.length}`);
      }
      w.u16(frame.keepAliveSeconds, "keepAliveSeconds").str(frame.deviceId, "deviceId").u8(frame.apps.length);
      for (const app of frame.apps) {
        w.str(app.appId, "appId").str(app.token, "token").i64(app.broadcastCursor);
      }
      break;
    case "CONNACK":
      w.u16(ErrorCode[frame.code], "code").u16(frame.heartbeatSeconds, "heartbeatSeconds").message(frame.message);
      break;
    case "PING":
    case "PONG":
      break;
    case "PUSH":
      w.id(frame.messageId).str(frame.appId, "appId").i64(frame.broadcastSeq).payload(frame.payload);
      break;
    case "ACK":
      if (frame.messageIds.length > MAX_IDS_PER_ACK || frame.cursors.length > MAX_CURSORS_PER_ACK) {
        throw new RangeError(`an ACK holds at most ${MAX_IDS_PER_ACK} ids and ${MAX_CURSORS_PER_ACK} cursors`);
      }
      w.u16(frame.messageIds.length, "idCount");
      frame.messageIds.forEach((id) => w.id(id));
      w.u8(frame.cursors.length);
      for (const c of frame.cursors) {
        w.str(c.appId, "appId").i64(c.broadcastSeq);
      }
      break;
    case "ERROR":
    case "DISCONNECT":
      w.u16(ErrorCode[frame.code], "code").message(frame.message);
      break;
    case "UPLINK":
      w.str(frame.appId, "appId").payload(frame.payload);
      break;
    case "UPLINK_ACK":
      w.id(frame.messageId);
      break;
    case "ROOM_JOIN":
      w.str(frame.appId, "appId").str(frame.roomId, "roomId").u16(frame.historyLimit, "historyLimit");
      break;
    case "ROOM_LEAVE":
      w.str(frame.appId, "appId").str(frame.roomId, "roomId");
      break;
    case "ROOM_SEND":
      w.str(frame.appId, "appId").str(frame.roomId, "roomId").payload(frame.payload);
      break;
    case "ROOM_MESSAGE":
      w.id(frame.messageId).str(frame.appId, "appId").str(frame.roomId, "roomId").i64(frame.roomSeq).str(frame.senderId, "senderId").i64(frame.sentAt).payload(frame.payload);
      break;
    case "ROOM_ACK":
      w.u8(RoomAckKind[frame.kind]).u16(ErrorCode[frame.code], "code").str(frame.appId, "appId").str(frame.roomId, "roomId").i64(frame.roomSeq).u32(frame.memberCount).id(frame.messageId);
      break;
  }
  const bytes = w.result();
  new DataView(bytes.buffer).setUint32(0, bytes.length - LENGTH_FIELD_BYTES);
  return bytes;
}
var Reader = class {
  constructor(buf, start) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
  }
  need(n, what) {
    if (this.pos + n > this.buf.length) {
      throw new ProtocolError("MALFORMED_FRAME", `frame truncated: ${what} needs ${n} bytes, ${this.buf.length - this.pos} left`);
    }
  }
  u8(what) {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }
  u16(what) {
    this.need(2, what);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  u32(what) {
    this.need(4, what);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  i64(what) {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }
  bytes(n, what) {
    this.need(n, what);
    const b = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  str(what) {
    const n = this.u16(what);
    if (n > MAX_STRING_BYTES) {
      throw new ProtocolError("MALFORMED_FRAME", `${what} is ${n} bytes, over the limit ${MAX_STRING_BYTES}`);
    }
    return utf8Decoder.decode(this.bytes(n, what));
  }
  payload(what) {
    const n = this.u32(what);
    if (n > this.buf.length - this.pos) {
      throw new ProtocolError("MALFORMED_FRAME", `${what} length ${n} exceeds the ${this.buf.length - this.pos} bytes left`);
    }
    return this.bytes(n, what);
  }
  id(what) {
    return this.bytes(MESSAGE_ID_BYTES, what);
  }
  end() {
    if (this.pos !== this.buf.length) {
      throw new ProtocolError("MALFORMED_FRAME", `${this.buf.length - this.pos} bytes left over after the body`);
    }
  }
};
function decodeFrame(bytes, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
  if (bytes.length > maxFrameBytes) {
    throw new ProtocolError("FRAME_TOO_LARGE", `frame of ${bytes.length} bytes, over the limit ${maxFrameBytes}`);
  }
  if (bytes.length < LENGTH_FIELD_BYTES + HEADER_BYTES) {
    throw new ProtocolError("MALFORMED_FRAME", `${bytes.length} bytes cannot hold a frame header`);
  }
  const r = new Reader(bytes, 0);
  const length = r.u32("length");
  if (length !== bytes.length - LENGTH_FIELD_BYTES) {
    throw new ProtocolError("MALFORMED_FRAME", `length prefix ${length} but ${bytes.length - LENGTH_FIELD_BYTES} bytes follow it`);
  }
  const version = r.u8("version");
  if (version !== VERSION) {
    throw new ProtocolError("UNSUPPORTED_VERSION", `protocol version ${version}, this SDK speaks ${VERSION}`);
  }
  const opcode = r.u8("opcode");
  const flags = r.u8("flags");
  const seq = r.u32("seq");
  const frame = decodeBody(r, opcode, flags, seq);
  r.end();
  return frame;
}
function decodeBody(r, opcode, flags, seq) {
  switch (opcode) {
    case Opcode.CONNECT: {
      const keepAliveSeconds = r.u16("keepAliveSeconds");
      const deviceId = r.str("deviceId");
      const count = r.u8("appCount");
      if (count === 0) {
        throw new ProtocolError("MALFORMED_FRAME", "CONNECT without apps");
      }
      if (count > MAX_APPS_PER_CONNECT) {
        throw new ProtocolError("TOO_MANY_APPS", `CONNECT names ${count} apps, over ${MAX_APPS_PER_CONNECT}`);
      }
      const apps = [];
      for (let i = 0; i < count; i++) {
        apps.push({ appId: r.str("appId"), token: r.str("token"), broadcastCursor: r.i64("broadcastCursor") });
      }
      return { type: "CONNECT", seq, keepAliveSeconds, deviceId, apps };
    }
    case Opcode.CONNACK:
      return { type: "CONNACK", seq, code: errorCodeName(r.u16("code")), heartbeatSeconds: r.u16("heartbeatSeconds"), message: r.str("message") };
    case Opcode.PING:
      return { type: "PING", seq };
    case Opcode.PONG:
      return { type: "PONG", seq };
    case Opcode.PUSH:
      return {
        type: "PUSH",
        seq,
        flags,
        messageId: r.id("messageId"),
        appId: r.str("appId"),
        broadcastSeq: r.i64("broadcastSeq"),
        payload: r.payload("payload")
      };
    case Opcode.ACK: {
      const idCount = r.u16("idCount");
      if (idCount > MAX_IDS_PER_ACK) {
        throw new ProtocolError("MALFORMED_FRAME", `ACK with ${idCount} ids, over ${MAX_IDS_PER_ACK}`);
      }
      const messageIds = [];
      for (let i = 0; i < idCount; i++) {
        messageIds.push(r.id("messageId"));
      }
      const cursorCount = r.u8("cursorCount");
      if (cursorCount > MAX_CURSORS_PER_ACK) {
        throw new ProtocolError("MALFORMED_FRAME", `ACK with ${cursorCount} cursors, over ${MAX_CURSORS_PER_ACK}`);
      }
      const cursors = [];
      for (let i = 0; i < cursorCount; i++) {
        cursors.push({ appId: r.str("appId"), broadcastSeq: r.i64("broadcastSeq") });
      }
      return { type: "ACK", seq, messageIds, cursors };
    }
    case Opcode.ERROR:
      return { type: "ERROR", seq, code: errorCodeName(r.u16("code")), message: r.str("message") };
    case Opcode.DISCONNECT:
      return { type: "DISCONNECT", seq, code: errorCodeName(r.u16("code")), message: r.str("message") };
    case Opcode.UPLINK:
      return { type: "UPLINK", seq, appId: r.str("appId"), payload: r.payload("payload") };
    case Opcode.UPLINK_ACK:
      return { type: "UPLINK_ACK", seq, messageId: r.id("messageId") };
    case Opcode.ROOM_JOIN:
      return { type: "ROOM_JOIN", seq, appId: r.str("appId"), roomId: r.str("roomId"), historyLimit: r.u16("historyLimit") };
    case Opcode.ROOM_LEAVE:
      return { type: "ROOM_LEAVE", seq, appId: r.str("appId"), roomId: r.str("roomId") };
    case Opcode.ROOM_SEND:
      return { type: "ROOM_SEND", seq, appId: r.str("appId"), roomId: r.str("roomId"), payload: r.payload("payload") };
    case Opcode.ROOM_MESSAGE:
      return {
        type: "ROOM_MESSAGE",
        seq,
        flags,
        messageId: r.id("messageId"),
        appId: r.str("appId"),
        roomId: r.str("roomId"),
        roomSeq: r.i64("roomSeq"),
        senderId: r.str("senderId"),
        sentAt: r.i64("sentAt"),
        payload: r.payload("payload")
      };
    case Opcode.ROOM_ACK: {
      const kindNumber = r.u8("kind");
      const kind = Object.keys(RoomAckKind).find((k) => RoomAckKind[k] === kindNumber);
      if (kind === void 0) {
        throw new ProtocolError("MALFORMED_FRAME", `ROOM_ACK of unknown kind ${kindNumber}`);
      }
      return {
        type: "ROOM_ACK",
        seq,
        kind,
        code: errorCodeName(r.u16("code")),
        appId: r.str("appId"),
        roomId: r.str("roomId"),
        roomSeq: r.i64("roomSeq"),
        memberCount: r.u32("memberCount"),
        messageId: r.id("messageId")
      };
    }
    default:
      throw new UnsupportedOpcodeError(seq, opcode);
  }
}

// src/connection.ts
var OPEN = 1;
var Connection = class {
  constructor(owner, url, WebSocketImpl) {
    this.owner = owner;
    this.url = url;
    this.seq = 0;
    this.connected = false;
    this.ended = false;
    /** onConnected was announced for this connection, so its end is reported. */
    this.announced = false;
    this.closeReason = null;
    this.closeMessage = null;
    /** The server ended it with a reason: a refusing CONNACK or a DISCONNECT. */
    this.closedByServer = false;
    /** The server answered CONNECT with a CONNACK other than OK. */
    this.refused = false;
    this.pending = /* @__PURE__ */ new Map();
    this.ackIds = [];
    this.ackCursors = /* @__PURE__ */ new Map();
    this.lastSent = Date.now();
    this.lastReceived = Date.now();
    this.socket = new WebSocketImpl(url, "herald.v1");
    this.socket.binaryType = "arraybuffer";
    this.socket.onopen = () => this.opened();
    this.socket.onmessage = (event) => this.received(event.data);
    this.socket.onclose = (event) => {
      if (this.closeMessage === null) {
        this.closeMessage = `${this.connected ? "connection closed" : "connection closed before CONNACK"} (WebSocket close ${event.code ?? "?"}${event.reason ? " " + event.reason : ""})`;
      }
      this.end();
    };
    this.socket.onerror = () => {
      if (this.closeMessage === null && !this.connected) {
        this.closeMessage = `cannot connect to ${url}`;
      }
    };
    this.handshakeTimer = setTimeout(
      () => this.closeWith("HANDSHAKE_TIMEOUT", `no CONNACK within ${owner.connectTimeoutMs} ms`, false),
      owner.connectTimeoutMs
    );
  }
  isConnected() {
    return this.connected && !this.ended;
  }
  opened() {
    try {
      this.send(this.owner.connectFrame(this.nextSeq()));
    } catch (e) {
      this.closeWith(null, `cannot send CONNECT: ${e.message}`, false);
    }
  }
  received(data) {
    if (this.ended) {
      return;
    }
    this.lastReceived = Date.now();
    let frame;
    try {
      if (!(data instanceof ArrayBuffer)) {
        throw new ProtocolError("MALFORMED_FRAME", "the server sent a text message; frames travel in binary messages");
      }
      frame = decodeFrame(new Uint8Array(data), this.owner.maxFrameBytes);
    } catch (e) {
      if (e instanceof UnsupportedOpcodeError) {
        this.trySend({ type: "ERROR", seq: e.seq, code: "UNSUPPORTED_OPCODE", message: e.message });
        return;
      }
      const error = e instanceof ProtocolError ? e : new ProtocolError("MALFORMED_FRAME", String(e));
      this.trySend({ type: "DISCONNECT", seq: 0, code: error.code, message: error.message });
      this.closeWith(error.code, `the server sent a bad frame: ${error.message}`, false);
      return;
    }
    this.handle(frame);
  }
  handle(frame) {
    switch (frame.type) {
      case "CONNACK":
        this.handleConnAck(frame);
        break;
      case "PUSH":
        if (this.connected) {
          this.owner.handlePush(this, frame);
        }
        break;
      case "PING":
        this.trySend({ type: "PONG", seq: frame.seq });
        break;
      case "UPLINK_ACK":
      case "ROOM_ACK": {
        const pending = frame.seq === 0 ? void 0 : this.pending.get(frame.seq);
        if (pending) {
          this.pending.delete(frame.seq);
          pending.resolve(frame);
        } else if (frame.type === "ROOM_ACK" && frame.kind === "REMOVED") {
          this.owner.roomRemoved(frame.appId, frame.roomId, frame.code);
        }
        break;
      }
      case "ROOM_MESSAGE":
        if (this.connected) {
          this.owner.handleRoomMessage(frame);
        }
        break;
      case "ERROR": {
        const pending = this.pending.get(frame.seq);
        if (pending) {
          this.pending.delete(frame.seq);
          pending.reject(new HeraldError(frame.code, frame.message || `${pending.what} refused`));
        } else {
          this.owner.serverError(frame.code, frame.message, frame.seq);
        }
        break;
      }
      case "DISCONNECT":
        this.closeWith(frame.code, frame.message || "the server closed the connection", true);
        break;
      default:
        break;
    }
  }
  handleConnAck(frame) {
    if (this.connected) {
      return;
    }
    if (frame.code !== "OK") {
      this.refused = this.closeReason === null;
      this.closeWith(frame.code, frame.message || "connection refused", true);
      return;
    }
    clearTimeout(this.handshakeTimer);
    this.connected = true;
    const interval = this.owner.heartbeatMs(frame.heartbeatSeconds);
    this.heartbeatTimer = setInterval(() => {
      const now = Date.now();
      if (now - this.lastReceived >= 3 * interval) {
        this.closeWith("HEARTBEAT_TIMEOUT", "no frame from the server in three heartbeat intervals", false);
      } else if (now - this.lastSent >= interval / 2) {
        this.trySend({ type: "PING", seq: this.nextSeq() });
      }
    }, Math.max(1, interval / 2));
    this.owner.handshakeSucceeded(this, frame.heartbeatSeconds);
  }
  /** Queues an acknowledgement; ACKs go out as one frame per burst (or at once past the per-frame limit). */
  ack(messageId, cursor) {
    this.ackIds.push(messageId);
    if (cursor) {
      const before = this.ackCursors.get(cursor.appId);
      if (before === void 0 || cursor.broadcastSeq > before) {
        this.ackCursors.set(cursor.appId, cursor.broadcastSeq);
      }
    }
    if (this.ackIds.length >= MAX_IDS_PER_ACK) {
      this.flushAcks();
    } else if (this.ackTimer === void 0) {
      this.ackTimer = setTimeout(() => this.flushAcks(), this.owner.ackDelayMs);
    }
  }
  flushAcks() {
    clearTimeout(this.ackTimer);
    this.ackTimer = void 0;
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
      this.trySend({ type: "ACK", seq: this.nextSeq(), messageIds: ids.slice(from, to), cursors: to === ids.length ? cursors : [] });
      from = to;
    } while (from < ids.length);
  }
  /**
   * Sends a request answered by its seq (UPLINK: UPLINK_ACK; room frames: ROOM_ACK) or an ERROR with that
   * seq. A frame over the frame limit is refused here, with FRAME_TOO_LARGE, and the connection stays.
   */
  request(what, build) {
    return new Promise((resolve, reject) => {
      const seq = this.nextSeq();
      let bytes;
      try {
        bytes = this.encode(build(seq));
      } catch (e) {
        reject(e);
        return;
      }
      this.pending.set(seq, { what, resolve, reject });
      this.socket.send(bytes);
      this.lastSent = Date.now();
    });
  }
  /** Says goodbye (DISCONNECT CLIENT_DISCONNECT, after the pending ACKs) and closes. */
  disconnect() {
    if (this.ended) {
      return;
    }
    this.closeReason = "CLIENT_DISCONNECT";
    this.closeMessage = "closed by the client";
    if (this.connected) {
      this.flushAcks();
    }
    this.trySend({ type: "DISCONNECT", seq: this.nextSeq(), code: "CLIENT_DISCONNECT", message: this.closeMessage });
    this.closeSocket();
    this.closeTimer = setTimeout(() => this.end(), Math.min(2e3, this.owner.connectTimeoutMs));
  }
  /** Ends the connection for a reason; the client hears of it at once (the socket may take longer to close). */
  closeWith(code, message, byServer) {
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
  failPending(reason) {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      const code = p.what === "uplink" ? "UPLINK_REJECTED" : "ROOM_REJECTED";
      const maybe = p.what === "uplink" ? "; the uplink may or may not be stored" : "";
      p.reject(new HeraldError(code, `the connection ended before the answer to the ${p.what} (${reason})${maybe}`));
    }
  }
  closeSocket() {
    const socket = this.socket;
    try {
      if (socket.readyState === OPEN) {
        socket.close(1e3);
      } else if (typeof socket.terminate === "function") {
        socket.terminate();
      } else {
        socket.close();
      }
    } catch {
    }
  }
  end() {
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
  encode(frame) {
    const bytes = encodeFrame(frame);
    if (bytes.length > this.owner.maxFrameBytes) {
      throw new HeraldError(
        "FRAME_TOO_LARGE",
        `the ${frame.type} frame would be ${bytes.length} bytes, over the frame limit of ${this.owner.maxFrameBytes} (payload up to ${this.owner.maxFrameBytes - (bytes.length - payloadLength(frame))} bytes); nothing was sent`
      );
    }
    return bytes;
  }
  send(frame) {
    const bytes = this.encode(frame);
    this.socket.send(bytes);
    this.lastSent = Date.now();
  }
  /** Sends if the socket is open; a frame that cannot go out now is not worth an error (the close follows). */
  trySend(frame) {
    if (this.socket.readyState !== OPEN) {
      return;
    }
    try {
      this.send(frame);
    } catch {
    }
  }
  nextSeq() {
    this.seq = this.seq + 1 >>> 0;
    return this.seq;
  }
};
function payloadLength(frame) {
  return "payload" in frame ? frame.payload.length : 0;
}

// src/cursor-store.ts
var MemoryCursorStore = class {
  constructor() {
    this.cursors = /* @__PURE__ */ new Map();
  }
  load(appId) {
    return this.cursors.get(appId);
  }
  save(appId, broadcastSeq) {
    this.cursors.set(appId, broadcastSeq);
  }
};
var LocalStorageCursorStore = class {
  constructor(deviceId, storage) {
    this.deviceId = deviceId;
    const found = storage ?? globalThis.localStorage;
    if (!found) {
      throw new Error("no localStorage here: pass a Storage, or use MemoryCursorStore (FileCursorStore in Node.js)");
    }
    this.storage = found;
  }
  key(appId) {
    return `herald-push:cursor:${this.deviceId}:${appId}`;
  }
  load(appId) {
    const text = this.storage.getItem(this.key(appId));
    const value = text === null ? NaN : Number(text);
    return Number.isSafeInteger(value) && value >= 0 ? value : void 0;
  }
  save(appId, broadcastSeq) {
    this.storage.setItem(this.key(appId), String(broadcastSeq));
  }
};

// src/messages.ts
var utf82 = new TextDecoder();
var PushMessage = class {
  constructor(id, appId, broadcastSeq, broadcast, replay, payload) {
    this.id = id;
    this.appId = appId;
    this.broadcastSeq = broadcastSeq;
    this.broadcast = broadcast;
    this.replay = replay;
    this.payload = payload;
  }
  /** The payload as UTF-8 text. */
  get text() {
    return utf82.decode(this.payload);
  }
};
var RoomMessage = class {
  constructor(id, appId, roomId, roomSeq, senderId, sentAt, history, payload) {
    this.id = id;
    this.appId = appId;
    this.roomId = roomId;
    this.roomSeq = roomSeq;
    this.senderId = senderId;
    this.sentAt = sentAt;
    this.history = history;
    this.payload = payload;
  }
  get text() {
    return utf82.decode(this.payload);
  }
};

// src/recent-ids.ts
var RecentIds = class {
  constructor(capacity) {
    this.capacity = capacity;
    this.ids = /* @__PURE__ */ new Set();
    // Grown as ids arrive: a ring allocated at full capacity up front cost 32 KB per connection (4 096 slots)
    // before the first push, most of an idle connection's memory in a process holding thousands of them.
    this.ring = [];
    this.next = 0;
  }
  has(id) {
    return this.ids.has(id);
  }
  add(id) {
    if (this.capacity <= 0 || this.ids.has(id)) {
      return;
    }
    if (this.ring.length < this.capacity) {
      this.ring.push(id);
    } else {
      this.ids.delete(this.ring[this.next]);
      this.ring[this.next] = id;
      this.next = (this.next + 1) % this.capacity;
    }
    this.ids.add(id);
  }
};

// src/client.ts
var PERMANENT = /* @__PURE__ */ new Set([
  "BAD_TOKEN",
  "TOKEN_EXPIRED",
  "UNKNOWN_APP",
  "TOO_MANY_APPS",
  "UNSUPPORTED_VERSION",
  "SESSION_REPLACED"
]);
var utf83 = new TextEncoder();
var HeraldClient = class {
  constructor(options) {
    this.handlers = /* @__PURE__ */ new Map();
    this.cursors = /* @__PURE__ */ new Map();
    /** Rooms joined (app/room → history limit asked), joined again after a reconnect. */
    this.rooms = /* @__PURE__ */ new Map();
    /** Newest roomSeq passed on per room, so a rejoin's history is not passed twice. */
    this.roomSeqs = /* @__PURE__ */ new Map();
    this.waiters = [];
    this.current = "idle";
    this.failedAttempts = 0;
    this.serverIndex = 0;
    this.cursorsLoaded = false;
    this.duplicates = 0;
    /** Counts attempts, so an attempt still resolving its tokens knows when it was overtaken. */
    this.attempt = 0;
    this.resolvedTokens = /* @__PURE__ */ new Map();
    if (!options.servers?.length) {
      throw new RangeError("servers: at least one access node URL is required (ws://host:7070/ws)");
    }
    if (!options.deviceId) {
      throw new RangeError("deviceId is required");
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
    this.keepAliveMs = positive(options.keepAliveMs ?? 3e4, "keepAliveMs");
    const reconnect = options.reconnect ?? { initialMs: 500, maxMs: 3e4 };
    this.backoff = reconnect === false ? null : new Backoff(reconnect.initialMs, reconnect.maxMs, options.random);
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (this.maxFrameBytes < LENGTH_FIELD_BYTES + HEADER_BYTES) {
      throw new RangeError(`maxFrameBytes too small: ${this.maxFrameBytes}`);
    }
    this.connectTimeoutMs = positive(options.connectTimeoutMs ?? 1e4, "connectTimeoutMs");
    this.ackDelayMs = options.ackDelayMs ?? 10;
    this.WebSocketImpl = options.WebSocket;
    this.recentIds = new RecentIds(options.dedupWindow ?? 4096);
    this.closedPromise = new Promise((resolve) => this.closedResolve = resolve);
    this.owner = {
      maxFrameBytes: this.maxFrameBytes,
      ackDelayMs: this.ackDelayMs,
      connectTimeoutMs: this.connectTimeoutMs,
      connectFrame: (seq) => this.connectFrame(seq),
      heartbeatMs: (s) => s > 0 ? Math.min(s * 1e3, this.keepAliveMs) : this.keepAliveMs,
      handshakeSucceeded: (c, s) => this.handshakeSucceeded(c, s),
      handlePush: (c, f) => this.handlePush(c, f),
      handleRoomMessage: (f) => this.handleRoomMessage(f),
      roomRemoved: (appId, roomId, code) => {
        this.rooms.delete(roomKey(appId, roomId));
        this.emit("roomRemoved", { appId, roomId, code });
      },
      serverError: (code, message, seq) => this.emit("error", { code, message, seq }),
      connectionEnded: (c) => this.connectionEnded(c)
    };
  }
  /** Subscribes to an event; returns the function that unsubscribes. */
  on(event, handler) {
    let set = this.handlers.get(event);
    if (!set) {
      set = /* @__PURE__ */ new Set();
      this.handlers.set(event, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }
  get state() {
    return this.current;
  }
  /** The access node of the current connection, or of the next attempt while disconnected. */
  get server() {
    return this.servers[this.serverIndex];
  }
  get isConnected() {
    return this.connection?.isConnected() ?? false;
  }
  /** How many redeliveries of messages the application already had were acknowledged without passing them on. */
  get duplicatesDropped() {
    return this.duplicates;
  }
  /** The highest broadcast seq received for the app (or the stored cursor), sent in every CONNECT. */
  broadcastCursor(appId) {
    return this.cursors.get(appId) ?? 0;
  }
  /**
   * Connects, or joins the attempt in progress. Resolves on CONNACK OK; rejects with a {@link HeraldError} when
   * the server refuses (its code), no CONNACK comes in time (HANDSHAKE_TIMEOUT) or the network fails (code
   * null). After a failure a retry can fix, the client keeps trying in the background (the `connected` event
   * tells when it succeeds) until {@link close}.
   */
  connect() {
    return new Promise((resolve, reject) => {
      switch (this.current) {
        case "closed":
          reject(new Error("the client is closed"));
          return;
        case "connected":
          resolve();
          return;
        case "connecting":
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
  close() {
    if (this.current !== "closed") {
      clearTimeout(this.reconnectTimer);
      this.setState("closed");
      if (this.connection) {
        this.connection.disconnect();
      } else {
        this.rejectWaiters(new HeraldError("CLIENT_DISCONNECT", "the client was closed"));
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
  uplink(appId, payload) {
    const bytes = typeof payload === "string" ? utf83.encode(payload) : payload;
    if (!this.tokens.has(appId)) {
      return Promise.reject(new HeraldError("UPLINK_REJECTED", `app ${appId} is not one of this client's apps ${[...this.tokens.keys()]}`));
    }
    if (bytes.length === 0) {
      return Promise.reject(new HeraldError("UPLINK_REJECTED", "the payload is empty"));
    }
    const connection = this.connection;
    if (!connection?.isConnected()) {
      return Promise.reject(new HeraldError("UPLINK_REJECTED", "not connected"));
    }
    return connection.request("uplink", (seq) => ({ type: "UPLINK", seq, appId, payload: bytes.slice() })).then((ack) => messageIdToText(ack.messageId));
  }
  /**
   * Joins a room of one of this client's apps. Resolves once the server added the device; its history (at most
   * historyLimit messages, and the server's own limit) then arrives on `roomMessage`, before any live message.
   * Rejects with ROOM_REJECTED or ROOM_KICKED. After a reconnect the client joins its rooms again by itself.
   */
  async join(appId, roomId, historyLimit = 65535) {
    if (!Number.isInteger(historyLimit) || historyLimit < 0 || historyLimit > 65535) {
      throw new RangeError(`historyLimit must be 0..65535: ${historyLimit}`);
    }
    const ack = await this.roomRequest("room join", (seq) => ({ type: "ROOM_JOIN", seq, appId, roomId, historyLimit }));
    this.rooms.set(roomKey(appId, roomId), historyLimit);
    return { appId, roomId, roomSeq: Number(ack.roomSeq), memberCount: ack.memberCount };
  }
  /** Leaves a room; resolves once the server confirmed it (rejects with NOT_IN_ROOM). */
  async leave(appId, roomId) {
    this.rooms.delete(roomKey(appId, roomId));
    await this.roomRequest("room leave", (seq) => ({ type: "ROOM_LEAVE", seq, appId, roomId }));
  }
  /**
   * Sends a message to a joined room. Resolves with its id and place once the room ordered it (it also arrives
   * on `roomMessage`, as at every member). Rejects with ROOM_RATE_LIMITED, ROOM_MUTED, NOT_IN_ROOM,
   * ROOM_REJECTED or FRAME_TOO_LARGE.
   */
  async sendToRoom(appId, roomId, payload) {
    const bytes = typeof payload === "string" ? utf83.encode(payload) : payload.slice();
    const ack = await this.roomRequest("room send", (seq) => ({ type: "ROOM_SEND", seq, appId, roomId, payload: bytes }));
    return { id: messageIdToText(ack.messageId), roomSeq: Number(ack.roomSeq) };
  }
  /**
   * Acknowledges messages when auto-ACK is off: one ACK frame at once, with the cursors of the broadcasts among
   * them. Not connected: dropped (the server sends them again, and the dedup window acknowledges them).
   */
  ack(...messages) {
    const connection = this.connection;
    if (!connection?.isConnected() || messages.length === 0) {
      return;
    }
    for (const m of messages) {
      const cursor = m.broadcast ? { appId: m.appId, broadcastSeq: BigInt(m.broadcastSeq) } : void 0;
      connection.ack(messageIdFromText(m.id), cursor);
    }
    connection.flushAcks();
  }
  async startAttempt() {
    this.setState("connecting");
    const attempt = ++this.attempt;
    const url = this.server;
    let WebSocketImpl;
    try {
      await this.loadCursors();
      WebSocketImpl = await this.webSocketClass();
      const resolved = /* @__PURE__ */ new Map();
      for (const [app, token] of this.tokens) {
        resolved.set(app, typeof token === "function" ? await token() : token);
      }
      this.resolvedTokens = resolved;
    } catch (e) {
      if (attempt === this.attempt && this.current === "connecting") {
        this.attemptFailed(null, `cannot prepare the connection: ${e.message}`, false);
      }
      return;
    }
    if (attempt !== this.attempt || this.current !== "connecting") {
      return;
    }
    try {
      this.connection = new Connection(this.owner, url, WebSocketImpl);
    } catch (e) {
      this.attemptFailed(null, `cannot open a WebSocket to ${url}: ${e.message}`, false);
    }
  }
  async loadCursors() {
    if (this.cursorsLoaded) {
      return;
    }
    for (const app of this.tokens.keys()) {
      const stored = await this.cursorStore.load(app);
      this.cursors.set(app, Math.max(this.cursors.get(app) ?? 0, stored ?? 0));
    }
    this.cursorsLoaded = true;
  }
  async webSocketClass() {
    if (this.WebSocketImpl) {
      return this.WebSocketImpl;
    }
    const global = globalThis.WebSocket;
    if (global) {
      return global;
    }
    try {
      const ws = await import("ws");
      return ws.default ?? ws;
    } catch (e) {
      throw new Error(`no global WebSocket here and the ws package cannot be loaded (npm install ws): ${e.message}`);
    }
  }
  connectFrame(seq) {
    const keepAliveSeconds = Math.min(65535, Math.max(1, Math.ceil(this.keepAliveMs / 1e3)));
    const apps = [...this.tokens.keys()].map((appId) => ({
      appId,
      token: this.resolvedTokens.get(appId) ?? "",
      broadcastCursor: BigInt(this.cursors.get(appId) ?? 0)
    }));
    return { type: "CONNECT", seq, keepAliveSeconds, deviceId: this.deviceId, apps };
  }
  handshakeSucceeded(connection, heartbeatSeconds) {
    if (connection !== this.connection || this.current !== "connecting") {
      return;
    }
    this.failedAttempts = 0;
    connection.announced = true;
    this.setState("connected");
    this.emit("connected", { server: connection.url, heartbeatSeconds });
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w.resolve());
    this.rejoinRooms();
  }
  rejoinRooms() {
    for (const [key, historyLimit] of this.rooms) {
      const slash = key.indexOf("/");
      const appId = key.slice(0, slash);
      const roomId = key.slice(slash + 1);
      this.roomRequest("room join", (seq) => ({ type: "ROOM_JOIN", seq, appId, roomId, historyLimit })).catch((e) => {
        if (e instanceof HeraldError && e.code === "ROOM_KICKED") {
          this.rooms.delete(key);
          this.emit("roomRemoved", { appId, roomId, code: "ROOM_KICKED" });
        }
      });
    }
  }
  handlePush(connection, frame) {
    const id = messageIdToText(frame.messageId);
    if (this.recentIds.has(id)) {
      this.duplicates++;
      connection.ack(frame.messageId);
      return;
    }
    const broadcast = (frame.flags & PUSH_FLAG_BROADCAST) !== 0;
    const message = new PushMessage(
      id,
      frame.appId,
      Number(frame.broadcastSeq),
      broadcast,
      (frame.flags & PUSH_FLAG_REPLAY) !== 0,
      frame.payload
    );
    if (!this.emit("push", message)) {
      return;
    }
    this.recentIds.add(id);
    let cursorMoved = false;
    if (broadcast && message.broadcastSeq > (this.cursors.get(frame.appId) ?? 0)) {
      this.cursors.set(frame.appId, message.broadcastSeq);
      cursorMoved = true;
      this.saveCursor(frame.appId, message.broadcastSeq);
    }
    if (this.autoAck) {
      connection.ack(frame.messageId, cursorMoved ? { appId: frame.appId, broadcastSeq: frame.broadcastSeq } : void 0);
    }
  }
  saveCursor(appId, seq) {
    try {
      Promise.resolve(this.cursorStore.save(appId, seq)).catch((e) => warn(`cannot save the cursor of ${appId}`, e));
    } catch (e) {
      warn(`cannot save the cursor of ${appId}`, e);
    }
  }
  handleRoomMessage(frame) {
    const key = roomKey(frame.appId, frame.roomId);
    const roomSeq = Number(frame.roomSeq);
    const last = this.roomSeqs.get(key);
    if (last !== void 0 && roomSeq <= last) {
      return;
    }
    this.roomSeqs.set(key, roomSeq);
    this.emit("roomMessage", new RoomMessage(
      messageIdToText(frame.messageId),
      frame.appId,
      frame.roomId,
      roomSeq,
      frame.senderId,
      Number(frame.sentAt),
      (frame.flags & ROOM_MESSAGE_FLAG_HISTORY) !== 0,
      frame.payload
    ));
  }
  roomRequest(what, build) {
    const connection = this.connection;
    if (!connection?.isConnected()) {
      return Promise.reject(new HeraldError("ROOM_REJECTED", "not connected"));
    }
    return connection.request(what, build);
  }
  connectionEnded(connection) {
    if (connection !== this.connection) {
      return;
    }
    this.connection = void 0;
    const wasConnected = connection.announced;
    const reason = connection.closeReason;
    const message = connection.closeMessage ?? (wasConnected ? "connection closed" : "connection closed before CONNACK");
    connection.failPending(message);
    if (this.current === "closed") {
      this.rejectWaiters(new HeraldError("CLIENT_DISCONNECT", "the client was closed"));
      if (wasConnected) {
        this.emit("disconnected", { code: "CLIENT_DISCONNECT", message: "closed by the client", server: connection.url, willReconnect: false });
      }
      this.closedResolve?.();
      return;
    }
    this.attemptFailed(reason, message, wasConnected, connection);
  }
  attemptFailed(reason, message, wasConnected, connection) {
    const byServer = connection?.closedByServer ?? false;
    if (!wasConnected) {
      this.rejectWaiters(new HeraldError(reason, message));
    }
    const permanent = byServer && reason !== null && PERMANENT.has(reason) || connection?.refused === true && reason === "MALFORMED_FRAME";
    const willReconnect = !permanent && this.backoff !== null;
    if (wasConnected || byServer) {
      this.emit("disconnected", { code: reason, message, server: connection?.url ?? this.server, willReconnect });
    }
    if (!willReconnect || this.current === "closed") {
      if (this.current !== "closed") {
        this.setState("idle");
      }
      return;
    }
    const delay = this.backoff.delayMs(this.failedAttempts++);
    this.serverIndex = (this.serverIndex + 1) % this.servers.length;
    this.setState("backing-off");
    this.reconnectTimer = setTimeout(() => {
      if (this.current === "backing-off") {
        void this.startAttempt();
      }
    }, delay);
  }
  rejectWaiters(error) {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w.reject(error));
  }
  setState(state) {
    const previous = this.current;
    if (previous !== state) {
      this.current = state;
      this.emit("state", state, previous);
    }
  }
  /** Calls the handlers; false when one threw (it is reported on the console, the connection goes on). */
  emit(event, ...args) {
    let ok = true;
    for (const handler of this.handlers.get(event) ?? []) {
      try {
        handler(...args);
      } catch (e) {
        ok = false;
        warn(`a ${event} handler of device ${this.deviceId} failed`, e);
      }
    }
    return ok;
  }
};
function roomKey(appId, roomId) {
  return `${appId}/${roomId}`;
}
function positive(value, name) {
  if (!(value > 0)) {
    throw new RangeError(`${name} must be positive, got ${value}`);
  }
  return value;
}
function warn(what, e) {
  console.warn(`herald-push: ${what}:`, e);
}
export {
  DEFAULT_MAX_FRAME_BYTES,
  ErrorCode,
  HeraldClient,
  HeraldError,
  LocalStorageCursorStore,
  MemoryCursorStore,
  Opcode,
  ProtocolError,
  PushMessage,
  RoomMessage,
  UnsupportedOpcodeError,
  decodeFrame,
  encodeFrame,
  errorCodeName,
  messageIdFromText,
  messageIdToText
};
