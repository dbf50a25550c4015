/**
 * The native frame codec (docs/protocol.md): one frame = u32 length, u8 version, u8 opcode, u8 flags,
 * u32 seq, body. Over WebSocket each binary message holds exactly one frame, length prefix included, so
 * this codec works on whole frames only. i64 fields are bigints here, so nothing is rounded.
 */
import { ErrorCode, ErrorCodeName, errorCodeName } from './errors.js';
import { MESSAGE_ID_BYTES } from './message-id.js';

export const VERSION = 1;
export const LENGTH_FIELD_BYTES = 4;
export const HEADER_BYTES = 7;
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
export const MAX_STRING_BYTES = 1024;
export const MAX_APPS_PER_CONNECT = 16;
export const MAX_IDS_PER_ACK = 4096;
export const MAX_CURSORS_PER_ACK = 16;

export const Opcode = {
  CONNECT: 0x01,
  CONNACK: 0x02,
  PING: 0x03,
  PONG: 0x04,
  PUSH: 0x05,
  ACK: 0x06,
  ERROR: 0x07,
  DISCONNECT: 0x08,
  UPLINK: 0x09,
  UPLINK_ACK: 0x0a,
  ROOM_JOIN: 0x0b,
  ROOM_LEAVE: 0x0c,
  ROOM_SEND: 0x0d,
  ROOM_MESSAGE: 0x0e,
  ROOM_ACK: 0x0f,
} as const;
export type FrameType = keyof typeof Opcode;

export const PUSH_FLAG_BROADCAST = 0x01;
export const PUSH_FLAG_REPLAY = 0x02;
export const ROOM_MESSAGE_FLAG_HISTORY = 0x01;

export const RoomAckKind = { JOINED: 1, LEFT: 2, SENT: 3, REMOVED: 4 } as const;
export type RoomAckKindName = keyof typeof RoomAckKind;

export interface AppLogin { appId: string; token: string; broadcastCursor: bigint }
export interface Cursor { appId: string; broadcastSeq: bigint }

export type Frame =
  | { type: 'CONNECT'; seq: number; keepAliveSeconds: number; deviceId: string; apps: AppLogin[] }
  | { type: 'CONNACK'; seq: number; code: ErrorCodeName; heartbeatSeconds: number; message: string }
  | { type: 'PING'; seq: number }
  | { type: 'PONG'; seq: number }
  | { type: 'PUSH'; seq: number; flags: number; messageId: Uint8Array; appId: string; broadcastSeq: bigint; payload: Uint8Array }
  | { type: 'ACK'; seq: number; messageIds: Uint8Array[]; cursors: Cursor[] }
  | { type: 'ERROR'; seq: number; code: ErrorCodeName; message: string }
  | { type: 'DISCONNECT'; seq: number; code: ErrorCodeName; message: string }
  | { type: 'UPLINK'; seq: number; appId: string; payload: Uint8Array }
  | { type: 'UPLINK_ACK'; seq: number; messageId: Uint8Array }
  | { type: 'ROOM_JOIN'; seq: number; appId: string; roomId: string; historyLimit: number }
  | { type: 'ROOM_LEAVE'; seq: number; appId: string; roomId: string }
  | { type: 'ROOM_SEND'; seq: number; appId: string; roomId: string; payload: Uint8Array }
  | {
      type: 'ROOM_MESSAGE'; seq: number; flags: number; messageId: Uint8Array; appId: string; roomId: string;
      roomSeq: bigint; senderId: string; sentAt: bigint; payload: Uint8Array;
    }
  | {
      type: 'ROOM_ACK'; seq: number; kind: RoomAckKindName; code: ErrorCodeName; appId: string; roomId: string;
      roomSeq: bigint; memberCount: number; messageId: Uint8Array;
    };

/** A frame that breaks the protocol; {@link code} is what a DISCONNECT about it carries. */
export class ProtocolError extends Error {
  constructor(readonly code: ErrorCodeName, message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** A well-formed frame with an opcode this version does not know: skipped, answered ERROR UNSUPPORTED_OPCODE. */
export class UnsupportedOpcodeError extends Error {
  constructor(readonly seq: number, readonly opcode: number) {
    super(`opcode 0x${opcode.toString(16)} is not supported`);
    this.name = 'UnsupportedOpcodeError';
  }
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();
const ZERO_ID = new Uint8Array(MESSAGE_ID_BYTES);

class Writer {
  private buf = new Uint8Array(64);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private ensure(n: number): void {
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

  u8(v: number): this {
    this.ensure(1);
    this.view.setUint8(this.length, v);
    this.length += 1;
    return this;
  }

  u16(v: number, field: string): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) {
      throw new RangeError(`${field} must be 0..65535, got ${v}`);
    }
    this.ensure(2);
    this.view.setUint16(this.length, v);
    this.length += 2;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, v >>> 0);
    this.length += 4;
    return this;
  }

  i64(v: bigint): this {
    this.ensure(8);
    this.view.setBigInt64(this.length, BigInt.asIntN(64, v));
    this.length += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** An id or name: refused when over the limit, since cutting it would change it. */
  str(s: string, field: string): this {
    const b = utf8.encode(s ?? '');
    if (b.length > MAX_STRING_BYTES) {
      throw new RangeError(`${field} is ${b.length} bytes of UTF-8, over the protocol's ${MAX_STRING_BYTES}`);
    }
    return this.u16(b.length, field).bytes(b);
  }

  /** A human-readable message: cut at a character boundary to the limit, never refused. */
  message(s: string): this {
    let b = utf8.encode(s ?? '');
    if (b.length > MAX_STRING_BYTES) {
      let end = MAX_STRING_BYTES;
      while (end > 0 && (b[end] & 0xc0) === 0x80) {
        end--; // b[end] continues a character: cut before that character starts
      }
      b = b.subarray(0, end);
    }
    return this.u16(b.length, 'message').bytes(b);
  }

  payload(p: Uint8Array): this {
    return this.u32(p.length).bytes(p);
  }

  id(id: Uint8Array | undefined): this {
    const b = id ?? ZERO_ID;
    if (b.length !== MESSAGE_ID_BYTES) {
      throw new RangeError(`a message id has ${MESSAGE_ID_BYTES} bytes, got ${b.length}`);
    }
    return this.bytes(b);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Encodes a frame, length prefix included. Throws RangeError for a frame the server would refuse. */
export function encodeFrame(frame: Frame): Uint8Array {
  const w = new Writer();
  const flags = frame.type === 'PUSH' || frame.type === 'ROOM_MESSAGE' ? frame.flags : 0;
  w.u32(0).u8(VERSION).u8(Opcode[frame.type]).u8(flags).u32(frame.seq);
  switch (frame.type) {
    case 'CONNECT':
      if (frame.apps.length < 1 || frame.apps.length > MAX_APPS_PER_CONNECT) {
        throw new RangeError(`a CONNECT names 1..${MAX_APPS_PER_CONNECT} apps, got ${frame.apps.length}`);
      }
      w.u16(frame.keepAliveSeconds, 'keepAliveSeconds').str(frame.deviceId, 'deviceId').u8(frame.apps.length);
      for (const app of frame.apps) {
        w.str(app.appId, 'appId').str(app.token, 'token').i64(app.broadcastCursor);
      }
      break;
    case 'CONNACK':
      w.u16(ErrorCode[frame.code], 'code').u16(frame.heartbeatSeconds, 'heartbeatSeconds').message(frame.message);
      break;
    case 'PING':
    case 'PONG':
      break;
    case 'PUSH':
      w.id(frame.messageId).str(frame.appId, 'appId').i64(frame.broadcastSeq).payload(frame.payload);
      break;
    case 'ACK':
      if (frame.messageIds.length > MAX_IDS_PER_ACK || frame.cursors.length > MAX_CURSORS_PER_ACK) {
        throw new RangeError(`an ACK holds at most ${MAX_IDS_PER_ACK} ids and ${MAX_CURSORS_PER_ACK} cursors`);
      }
      w.u16(frame.messageIds.length, 'idCount');
      frame.messageIds.forEach((id) => w.id(id));
      w.u8(frame.cursors.length);
      for (const c of frame.cursors) {
        w.str(c.appId, 'appId').i64(c.broadcastSeq);
      }
      break;
    case 'ERROR':
    case 'DISCONNECT':
      w.u16(ErrorCode[frame.code], 'code').message(frame.message);
      break;
    case 'UPLINK':
      w.str(frame.appId, 'appId').payload(frame.payload);
      break;
    case 'UPLINK_ACK':
      w.id(frame.messageId);
      break;
    case 'ROOM_JOIN':
      w.str(frame.appId, 'appId').str(frame.roomId, 'roomId').u16(frame.historyLimit, 'historyLimit');
      break;
    case 'ROOM_LEAVE':
      w.str(frame.appId, 'appId').str(frame.roomId, 'roomId');
      break;
    case 'ROOM_SEND':
      w.str(frame.appId, 'appId').str(frame.roomId, 'roomId').payload(frame.payload);
      break;
    case 'ROOM_MESSAGE':
      w.id(frame.messageId).str(frame.appId, 'appId').str(frame.roomId, 'roomId').i64(frame.roomSeq)
        .str(frame.senderId, 'senderId').i64(frame.sentAt).payload(frame.payload);
      break;
    case 'ROOM_ACK':
      w.u8(RoomAckKind[frame.kind]).u16(ErrorCode[frame.code], 'code').str(frame.appId, 'appId')
        .str(frame.roomId, 'roomId').i64(frame.roomSeq).u32(frame.memberCount).id(frame.messageId);
      break;
  }
  const bytes = w.result();
  new DataView(bytes.buffer).setUint32(0, bytes.length - LENGTH_FIELD_BYTES);
  return bytes;
}

class Reader {
  private readonly view: DataView;
  private pos: number;

  constructor(private readonly buf: Uint8Array, start: number) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) {
      throw new ProtocolError('MALFORMED_FRAME', `frame truncated: ${what} needs ${n} bytes, ${this.buf.length - this.pos} left`);
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  i64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }

  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const b = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  str(what: string): string {
    const n = this.u16(what);
    if (n > MAX_STRING_BYTES) {
      throw new ProtocolError('MALFORMED_FRAME', `${what} is ${n} bytes, over the limit ${MAX_STRING_BYTES}`);
    }
    return utf8Decoder.decode(this.bytes(n, what));
  }

  payload(what: string): Uint8Array {
    const n = this.u32(what);
    if (n > this.buf.length - this.pos) {
      throw new ProtocolError('MALFORMED_FRAME', `${what} length ${n} exceeds the ${this.buf.length - this.pos} bytes left`);
    }
    return this.bytes(n, what);
  }

  id(what: string): Uint8Array {
    return this.bytes(MESSAGE_ID_BYTES, what);
  }

  end(): void {
    if (this.pos !== this.buf.length) {
      throw new ProtocolError('MALFORMED_FRAME', `${this.buf.length - this.pos} bytes left over after the body`);
    }
  }
}

/**
 * Decodes one whole frame, length prefix included (one WebSocket binary message). Throws
 * {@link ProtocolError} for a broken frame and {@link UnsupportedOpcodeError} for an unknown opcode.
 */
export function decodeFrame(bytes: Uint8Array, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): Frame {
  if (bytes.length > maxFrameBytes) {
    throw new ProtocolError('FRAME_TOO_LARGE', `frame of ${bytes.length} bytes, over the limit ${maxFrameBytes}`);
  }
  if (bytes.length < LENGTH_FIELD_BYTES + HEADER_BYTES) {
    throw new ProtocolError('MALFORMED_FRAME', `${bytes.length} bytes cannot hold a frame header`);
  }
  const r = new Reader(bytes, 0);
  const length = r.u32('length');
  if (length !== bytes.length - LENGTH_FIELD_BYTES) {
    throw new ProtocolError('MALFORMED_FRAME', `length prefix ${length} but ${bytes.length - LENGTH_FIELD_BYTES} bytes follow it`);
  }
  const version = r.u8('version');
  if (version !== VERSION) {
    throw new ProtocolError('UNSUPPORTED_VERSION', `protocol version ${version}, this SDK speaks ${VERSION}`);
  }
  const opcode = r.u8('opcode');
  const flags = r.u8('flags');
  const seq = r.u32('seq');
  const frame = decodeBody(r, opcode, flags, seq);
  r.end();
  return frame;
}

function decodeBody(r: Reader, opcode: number, flags: number, seq: number): Frame {
  switch (opcode) {
    case Opcode.CONNECT: {
      const keepAliveSeconds = r.u16('keepAliveSeconds');
      const deviceId = r.str('deviceId');
      const count = r.u8('appCount');
      if (count === 0) {
        throw new ProtocolError('MALFORMED_FRAME', 'CONNECT without apps');
      }
      if (count > MAX_APPS_PER_CONNECT) {
        throw new ProtocolError('TOO_MANY_APPS', `CONNECT names ${count} apps, over ${MAX_APPS_PER_CONNECT}`);
      }
      const apps: AppLogin[] = [];
      for (let i = 0; i < count; i++) {
        apps.push({ appId: r.str('appId'), token: r.str('token'), broadcastCursor: r.i64('broadcastCursor') });
      }
      return { type: 'CONNECT', seq, keepAliveSeconds, deviceId, apps };
    }
    case Opcode.CONNACK:
      return { type: 'CONNACK', seq, code: errorCodeName(r.u16('code')), heartbeatSeconds: r.u16('heartbeatSeconds'), message: r.str('message') };
    case Opcode.PING:
      return { type: 'PING', seq };
    case Opcode.PONG:
      return { type: 'PONG', seq };
    case Opcode.PUSH:
      return {
        type: 'PUSH', seq, flags, messageId: r.id('messageId'), appId: r.str('appId'), broadcastSeq: r.i64('broadcastSeq'),
        payload: r.payload('payload'),
      };
    case Opcode.ACK: {
      const idCount = r.u16('idCount');
      if (idCount > MAX_IDS_PER_ACK) {
        throw new ProtocolError('MALFORMED_FRAME', `ACK with ${idCount} ids, over ${MAX_IDS_PER_ACK}`);
      }
      const messageIds: Uint8Array[] = [];
      for (let i = 0; i < idCount; i++) {
        messageIds.push(r.id('messageId'));
      }
      const cursorCount = r.u8('cursorCount');
      if (cursorCount > MAX_CURSORS_PER_ACK) {
        throw new ProtocolError('MALFORMED_FRAME', `ACK with ${cursorCount} cursors, over ${MAX_CURSORS_PER_ACK}`);
      }
      const cursors: Cursor[] = [];
      for (let i = 0; i < cursorCount; i++) {
        cursors.push({ appId: r.str('appId'), broadcastSeq: r.i64('broadcastSeq') });
      }
      return { type: 'ACK', seq, messageIds, cursors };
    }
    case Opcode.ERROR:
      return { type: 'ERROR', seq, code: errorCodeName(r.u16('code')), message: r.str('message') };
    case Opcode.DISCONNECT:
      return { type: 'DISCONNECT', seq, code: errorCodeName(r.u16('code')), message: r.str('message') };
    case Opcode.UPLINK:
      return { type: 'UPLINK', seq, appId: r.str('appId'), payload: r.payload('payload') };
    case Opcode.UPLINK_ACK:
      return { type: 'UPLINK_ACK', seq, messageId: r.id('messageId') };
    case Opcode.ROOM_JOIN:
      return { type: 'ROOM_JOIN', seq, appId: r.str('appId'), roomId: r.str('roomId'), historyLimit: r.u16('historyLimit') };
    case Opcode.ROOM_LEAVE:
      return { type: 'ROOM_LEAVE', seq, appId: r.str('appId'), roomId: r.str('roomId') };
    case Opcode.ROOM_SEND:
      return { type: 'ROOM_SEND', seq, appId: r.str('appId'), roomId: r.str('roomId'), payload: r.payload('payload') };
    case Opcode.ROOM_MESSAGE:
      return {
        type: 'ROOM_MESSAGE', seq, flags, messageId: r.id('messageId'), appId: r.str('appId'), roomId: r.str('roomId'),
        roomSeq: r.i64('roomSeq'), senderId: r.str('senderId'), sentAt: r.i64('sentAt'), payload: r.payload('payload'),
      };
    case Opcode.ROOM_ACK: {
      const kindNumber = r.u8('kind');
      const kind = (Object.keys(RoomAckKind) as RoomAckKindName[]).find((k) => RoomAckKind[k] === kindNumber);
      if (kind === undefined) {
        throw new ProtocolError('MALFORMED_FRAME', `ROOM_ACK of unknown kind ${kindNumber}`);
      }
      return {
        type: 'ROOM_ACK', seq, kind, code: errorCodeName(r.u16('code')), appId: r.str('appId'), roomId: r.str('roomId'),
        roomSeq: r.i64('roomSeq'), memberCount: r.u32('memberCount'), messageId: r.id('messageId'),
      };
    }
    default:
      throw new UnsupportedOpcodeError(seq, opcode);
  }
}
