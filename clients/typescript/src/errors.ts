/** Error codes of the native protocol (docs/protocol.md#error-codes). Stable once published. */
export const ErrorCode = {
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
  INTERNAL_ERROR: 99,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;

const NAMES = new Map<number, ErrorCodeName>(
  (Object.keys(ErrorCode) as ErrorCodeName[]).map((name) => [ErrorCode[name], name]),
);

/** The name of a code number; a number this SDK does not know is INTERNAL_ERROR, as the protocol says. */
export function errorCodeName(code: number): ErrorCodeName {
  return NAMES.get(code) ?? 'INTERNAL_ERROR';
}

/**
 * A refusal or failure with its protocol error code (the server's, or the SDK's on its behalf); code null when
 * the network failed without a protocol reason (a WebSocket that could not open or just closed).
 */
export class HeraldError extends Error {
  readonly code: ErrorCodeName | null;

  constructor(code: ErrorCodeName | null, message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = 'HeraldError';
    this.code = code;
    if (options?.cause !== undefined) {
      (this as { cause?: unknown }).cause = options.cause;
    }
  }
}
