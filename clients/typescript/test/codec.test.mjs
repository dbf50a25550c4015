// The codec against the worked examples of docs/protocol.md, from the vectors file push-protocol's Java tests
// read too (so the two codecs cannot drift), plus the decoder's refusals.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  ProtocolError, UnsupportedOpcodeError, decodeFrame, encodeFrame, messageIdFromText, messageIdToText,
} from '../dist/index.js';

const vectorsFile = new URL('../../../push-protocol/src/test/resources/protocol-vectors.json', import.meta.url);
const vectors = JSON.parse(readFileSync(vectorsFile, 'utf8')).vectors;
const spec = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');
const utf8 = new TextEncoder();
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const unhex = (text) => new Uint8Array(Buffer.from(text, 'hex'));

/** The vector's JSON frame in the codec's shape: ids as bytes, i64 fields as bigints, payloads as bytes. */
function frameOf(json) {
  const frame = { ...json };
  for (const field of ['broadcastSeq', 'roomSeq', 'sentAt']) {
    if (field in frame) frame[field] = BigInt(frame[field]);
  }
  if ('messageId' in frame) frame.messageId = messageIdFromText(frame.messageId);
  if ('payload' in frame) frame.payload = utf8.encode(frame.payload);
  return frame;
}

test('the shared vectors file holds every documented example', () => {
  assert.ok(vectors.length >= 8, `only ${vectors.length} vectors`);
  for (const v of vectors) {
    assert.ok(spec.includes('`' + v.hex + '`'), `docs/protocol.md does not show ${v.name}: ${v.hex}`);
  }
});

for (const v of vectors) {
  test(`encodes byte for byte: ${v.name}`, () => {
    assert.equal(hex(encodeFrame(frameOf(v.frame))), v.hex);
  });
  test(`decodes byte for byte: ${v.name}`, () => {
    assert.deepEqual(decodeFrame(unhex(v.hex)), frameOf(v.frame));
  });
}

test('message ids: text and bytes as documented', () => {
  const bytes = unhex('01936a5ec000123489abcdef01234567');
  assert.equal(messageIdToText(bytes), '01JDN5XG0028T8KAYDXW0J6HB7');
  assert.deepEqual(messageIdFromText('01jdn5xg0028t8kaydxw0j6hb7'), bytes);
  assert.throws(() => messageIdFromText('81JDN5XG0028T8KAYDXW0J6HB7'), RangeError);
  assert.throws(() => messageIdFromText('01JDN5XG0028T8KAYDXW0J6HBU'), RangeError);
});

const id = messageIdFromText('01JDN5XG0028T8KAYDXW0J6HB7');
const everyFrameType = [
  { type: 'CONNECT', seq: 1, keepAliveSeconds: 30, deviceId: 'dévice-ü', apps: [
    { appId: 'demo', token: 'tok-1', broadcastCursor: 42n }, { appId: 'news', token: 'tok-2', broadcastCursor: 2n ** 63n - 1n }] },
  { type: 'CONNACK', seq: 1, code: 'BAD_TOKEN', heartbeatSeconds: 0, message: 'token signature does not match' },
  { type: 'PONG', seq: 0xffffffff },
  { type: 'PUSH', seq: 4, flags: 3, messageId: id, appId: 'demo', broadcastSeq: 99n, payload: new Uint8Array(0) },
  { type: 'ACK', seq: 6, messageIds: [id, id], cursors: [{ appId: 'demo', broadcastSeq: 99n }] },
  { type: 'ERROR', seq: 9, code: 'UPLINK_REJECTED', message: 'app news is not logged in' },
  { type: 'DISCONNECT', seq: 0, code: 'HEARTBEAT_TIMEOUT', message: 'silent for 60 s' },
  { type: 'ROOM_LEAVE', seq: 16, appId: 'demo', roomId: 'lobby' },
  { type: 'ROOM_MESSAGE', seq: 0, flags: 1, messageId: id, appId: 'demo', roomId: 'room:ü', roomSeq: 2n ** 63n - 1n, senderId: '',
    sentAt: 0n, payload: new Uint8Array(4096) },
  { type: 'ROOM_ACK', seq: 0, kind: 'REMOVED', code: 'ROOM_KICKED', appId: 'demo', roomId: 'lobby', roomSeq: 0n,
    memberCount: 0xffffffff, messageId: new Uint8Array(16) },
];
for (const frame of everyFrameType) {
  test(`round trip: ${frame.type}`, () => assert.deepEqual(decodeFrame(encodeFrame(frame)), frame));
}

function assertProtocolError(bytes, code) {
  assert.throws(() => decodeFrame(bytes), (e) => e instanceof ProtocolError && e.code === code);
}

test('a truncated body or trailing bytes are malformed', () => {
  const push = encodeFrame({ type: 'PUSH', seq: 1, flags: 0, messageId: id, appId: 'demo', broadcastSeq: 0n, payload: utf8.encode('abc') });
  for (let cut = 11; cut < push.length; cut++) {
    const truncated = push.slice(0, cut);
    new DataView(truncated.buffer).setUint32(0, cut - 4);
    assertProtocolError(truncated, 'MALFORMED_FRAME');
  }
  const longer = new Uint8Array(push.length + 1);
  longer.set(push);
  new DataView(longer.buffer).setUint32(0, longer.length - 4);
  assertProtocolError(longer, 'MALFORMED_FRAME');
});

test('a length prefix that is not the message size is malformed', () => {
  const ping = encodeFrame({ type: 'PING', seq: 1 });
  new DataView(ping.buffer).setUint32(0, 8);
  assertProtocolError(ping, 'MALFORMED_FRAME');
  assertProtocolError(new Uint8Array([0, 0, 0]), 'MALFORMED_FRAME');
});

test('another version is unsupported, an unknown opcode is reported with its seq', () => {
  const ping = encodeFrame({ type: 'PING', seq: 77 });
  ping[4] = 2;
  assertProtocolError(ping, 'UNSUPPORTED_VERSION');
  ping[4] = 1;
  ping[5] = 0x10;
  assert.throws(() => decodeFrame(ping), (e) => e instanceof UnsupportedOpcodeError && e.seq === 77 && e.opcode === 0x10);
});

test('a payload length past the frame is malformed, a frame over the limit too large', () => {
  const uplink = encodeFrame({ type: 'UPLINK', seq: 1, appId: 'demo', payload: utf8.encode('abc') });
  uplink[uplink.length - 7] = 0x7f;
  assertProtocolError(uplink, 'MALFORMED_FRAME');
  assertProtocolError(new Uint8Array(65537), 'FRAME_TOO_LARGE');
});

test('unknown error codes decode as INTERNAL_ERROR; a ROOM_ACK of unknown kind is malformed', () => {
  const error = encodeFrame({ type: 'ERROR', seq: 1, code: 'OK', message: '' });
  error[11] = 0x03;
  error[12] = 0xe7; // 999
  assert.equal(decodeFrame(error).code, 'INTERNAL_ERROR');
  const ack = encodeFrame({ type: 'ROOM_ACK', seq: 1, kind: 'LEFT', code: 'OK', appId: 'd', roomId: 'r', roomSeq: 0n, memberCount: 0 });
  ack[11] = 9;
  assertProtocolError(ack, 'MALFORMED_FRAME');
});

test('encoding refuses ids over the string limit and cuts messages at a character boundary', () => {
  assert.throws(() => encodeFrame({ type: 'UPLINK', seq: 1, appId: 'é'.repeat(513), payload: new Uint8Array(1) }), RangeError);
  const message = 'unknown app: ' + 'é'.repeat(600);
  const decoded = decodeFrame(encodeFrame({ type: 'CONNACK', seq: 1, code: 'UNKNOWN_APP', heartbeatSeconds: 0, message }));
  assert.ok(message.startsWith(decoded.message));
  assert.equal(utf8.encode(decoded.message).length, 1023);
  assert.throws(() => encodeFrame({ type: 'CONNECT', seq: 1, keepAliveSeconds: 30, deviceId: 'd', apps: [] }), RangeError);
  assert.throws(() => encodeFrame({ type: 'CONNACK', seq: 1, code: 'OK', heartbeatSeconds: 70000, message: '' }), RangeError);
});
