export { HeraldClient } from './client.js';
export type {
  ConnectedEvent, ConnectionState, DisconnectedEvent, HeraldClientOptions, HeraldEvents, TokenSource,
} from './client.js';
export { PushMessage, RoomMessage } from './messages.js';
export type { RoomJoined, RoomSent } from './messages.js';
export { ErrorCode, HeraldError, errorCodeName } from './errors.js';
export type { ErrorCodeName } from './errors.js';
export { LocalStorageCursorStore, MemoryCursorStore } from './cursor-store.js';
export type { CursorStore } from './cursor-store.js';
export type { WebSocketConstructor, WebSocketLike } from './connection.js';
export { messageIdFromText, messageIdToText } from './message-id.js';
export {
  DEFAULT_MAX_FRAME_BYTES, Opcode, ProtocolError, UnsupportedOpcodeError, decodeFrame, encodeFrame,
} from './codec.js';
export type { Frame, FrameType } from './codec.js';
