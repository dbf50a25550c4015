const utf8 = new TextDecoder();

/** A message pushed to this device. */
export class PushMessage {
  constructor(
    /** The message id as text (26 characters, the form the REST API returns); a redelivery has the same id. */
    readonly id: string,
    readonly appId: string,
    /** For a broadcast its place in the app's broadcast log (≥ 1); 0 for a unicast. */
    readonly broadcastSeq: number,
    readonly broadcast: boolean,
    /** It comes from the offline store: it was sent while this device was away. */
    readonly replay: boolean,
    readonly payload: Uint8Array,
  ) {}

  /** The payload as UTF-8 text. */
  get text(): string {
    return utf8.decode(this.payload);
  }
}

/** A message of a joined room, in the room's order. */
export class RoomMessage {
  constructor(
    readonly id: string,
    readonly appId: string,
    readonly roomId: string,
    /** Its place in the room's single order (1, 2, 3, ...). */
    readonly roomSeq: number,
    /** The sending device, or '' when the app's server posted it. */
    readonly senderId: string,
    /** When the room accepted it, epoch milliseconds. */
    readonly sentAt: number,
    /** Sent before this member joined: part of the history the server sends after a join. */
    readonly history: boolean,
    readonly payload: Uint8Array,
  ) {}

  get text(): string {
    return utf8.decode(this.payload);
  }
}

/** The answer to a join: the room's newest seq when this device was added and the member count after it. */
export interface RoomJoined { appId: string; roomId: string; roomSeq: number; memberCount: number }

/** The answer to a room send: the message's id and its place in the room. */
export interface RoomSent { id: string; roomSeq: number }
