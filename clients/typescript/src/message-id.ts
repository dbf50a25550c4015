/**
 * Message ids: 16 bytes on the wire (48 bits of milliseconds, 80 random bits), 26 characters of Crockford
 * base32 as text (the ULID form the REST API prints). docs/protocol.md#message-ids
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const MESSAGE_ID_BYTES = 16;

export function messageIdToText(bytes: Uint8Array): string {
  if (bytes.length !== MESSAGE_ID_BYTES) {
    throw new RangeError(`a message id has ${MESSAGE_ID_BYTES} bytes, got ${bytes.length}`);
  }
  let n = 0n;
  for (const b of bytes) {
    n = (n << 8n) | BigInt(b);
  }
  let text = '';
  for (let i = 0; i < 26; i++) {
    text = ALPHABET[Number(n & 31n)] + text;
    n >>= 5n;
  }
  return text;
}

export function messageIdFromText(text: string): Uint8Array {
  if (!/^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$/.test(text)) {
    throw new RangeError(`not a message id (26 characters of Crockford base32): ${text}`);
  }
  let n = 0n;
  for (const c of text.toUpperCase()) {
    n = (n << 5n) | BigInt(ALPHABET.indexOf(c));
  }
  const bytes = new Uint8Array(MESSAGE_ID_BYTES);
  for (let i = MESSAGE_ID_BYTES - 1; i >= 0; i--) {
    bytes[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return bytes;
}
