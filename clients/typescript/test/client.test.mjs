// HeraldClient against a fake access node (a real WebSocket server): delivery, ACK batching, dedup, cursors,
// heartbeats, uplinks, rooms, reconnects over the node list, refusals, and bad input from the server.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import WebSocket from 'ws';
import { HeraldClient, HeraldError, MemoryCursorStore, messageIdFromText } from '../dist/index.js';
import { FakeAccessNode, newId, until } from './fake-access-node.mjs';

const cleanups = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()();
});

async function node(options) {
  const n = await FakeAccessNode.start(options);
  cleanups.push(() => n.close());
  return n;
}

function client(servers, options = {}) {
  const c = new HeraldClient({
    servers: servers.map((s) => (typeof s === 'string' ? s : s.url)),
    deviceId: 'device-1',
    apps: { demo: 'token-1' },
    WebSocket,
    reconnect: { initialMs: 20, maxMs: 50 },
    ackDelayMs: 5,
    ...options,
  });
  const seen = { pushes: [], disconnects: [], states: [], rooms: [], errors: [], connects: 0 };
  c.on('push', (m) => seen.pushes.push(m));
  c.on('disconnected', (e) => seen.disconnects.push(e));
  c.on('state', (s) => seen.states.push(s));
  c.on('roomMessage', (m) => seen.rooms.push(m));
  c.on('error', (e) => seen.errors.push(e));
  c.on('connected', () => seen.connects++);
  cleanups.push(() => c.close());
  return { c, seen };
}

test('connects with its token and cursor, and acknowledges a burst of pushes in one ACK with the cursor', async () => {
  const n = await node();
  const store = new MemoryCursorStore();
  store.save('demo', 7);
  const { c, seen } = client([n], { cursorStore: store });
  await c.connect();

  const connect = n.frames[0];
  assert.equal(connect.type, 'CONNECT');
  assert.equal(connect.deviceId, 'device-1');
  assert.deepEqual(connect.apps, [{ appId: 'demo', token: 'token-1', broadcastCursor: 7n }]);
  assert.equal(c.state, 'connected');

  const ids = [newId(), newId(), newId()];
  n.connections[0].push(ids[0], { text: 'one' });
  n.connections[0].push(ids[1], { text: 'two', broadcastSeq: 8 });
  n.connections[0].push(ids[2], { text: 'three', broadcastSeq: 9, replay: true });
  await until(() => n.frames.some((f) => f.type === 'ACK'), 'an ACK');
  await new Promise((r) => setTimeout(r, 30));

  assert.deepEqual(seen.pushes.map((m) => m.text), ['one', 'two', 'three']);
  assert.equal(seen.pushes[2].replay, true);
  assert.equal(seen.pushes[2].broadcastSeq, 9);
  const acks = n.connections[0].of('ACK');
  assert.equal(acks.length, 1, 'one ACK for the burst');
  assert.deepEqual(acks[0].messageIds, ids.map(messageIdFromText));
  assert.deepEqual(acks[0].cursors, [{ appId: 'demo', broadcastSeq: 9n }]);
  assert.equal(c.broadcastCursor('demo'), 9);
  assert.equal(store.load('demo'), 9);
});

test('a redelivered message reaches the application once and is acknowledged again', async () => {
  const n = await node();
  const { c, seen } = client([n]);
  await c.connect();
  const id = newId();
  n.connections[0].push(id);
  await until(() => n.connections[0].of('ACK').length === 1, 'the first ACK');
  n.connections[0].push(id);
  await until(() => n.connections[0].of('ACK').length === 2, 'the second ACK');

  assert.equal(seen.pushes.length, 1);
  assert.equal(c.duplicatesDropped, 1);
  assert.deepEqual(n.connections[0].of('ACK')[1].messageIds, [messageIdFromText(id)]);
});

test('a push whose handler throws is not acknowledged, so the server sends it again', async () => {
  const n = await node();
  const { c, seen } = client([n]);
  let fail = true;
  c.on('push', () => {
    if (fail) throw new Error('app not ready');
  });
  await c.connect();
  const id = newId();
  n.connections[0].push(id);
  await until(() => seen.pushes.length === 1, 'the push');
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(n.connections[0].of('ACK').length, 0);
  fail = false;
  n.connections[0].push(id);
  await until(() => n.connections[0].of('ACK').length === 1, 'the ACK of the redelivery');
  assert.equal(seen.pushes.length, 2, 'offered again since it was never handled');
});

test('PINGs at the heartbeat the CONNACK announced', async () => {
  const n = await node({ connack: { code: 'OK', heartbeatSeconds: 1, message: '' } });
  const { c } = client([n], { keepAliveMs: 60_000 });
  await c.connect();
  await until(() => n.frames.some((f) => f.type === 'PING'), 'a PING', 3000);
});

test('gives up on a silent server after three heartbeat intervals and reconnects', async () => {
  const n = await node({ connack: { code: 'OK', heartbeatSeconds: 1, message: '' } });
  n.server.on('connection', (ws) => ws.removeAllListeners('ping'));
  n.onFrame = () => {}; // PINGs answered by the fake: make the first connection silent instead
  const { c, seen } = client([n], { keepAliveMs: 100 });
  await c.connect();
  n.connections[0].ws.removeAllListeners('message'); // it hears nothing any more, so it answers nothing
  await until(() => seen.disconnects.length === 1, 'the heartbeat timeout', 3000);
  assert.equal(seen.disconnects[0].code, 'HEARTBEAT_TIMEOUT');
  await until(() => seen.connects === 2, 'the reconnect');
});

test('uplinks resolve with the server\'s id or reject with its refusal', async () => {
  const n = await node();
  const uplinkId = newId();
  n.onFrame = (conn, f) => {
    if (f.type === 'UPLINK' && new TextDecoder().decode(f.payload) === 'ok') {
      conn.send({ type: 'UPLINK_ACK', seq: f.seq, messageId: messageIdFromText(uplinkId) });
    } else if (f.type === 'UPLINK') {
      conn.send({ type: 'ERROR', seq: f.seq, code: 'UPLINK_REJECTED', message: 'app demo has no such thing' });
    }
  };
  const { c } = client([n]);
  await c.connect();
  assert.equal(await c.uplink('demo', 'ok'), uplinkId);
  await assert.rejects(c.uplink('demo', 'no'), (e) => e instanceof HeraldError && e.code === 'UPLINK_REJECTED' && /no such thing/.test(e.message));
  await assert.rejects(c.uplink('other', 'x'), (e) => e.code === 'UPLINK_REJECTED' && /not one of this client's apps/.test(e.message));
  await assert.rejects(c.uplink('demo', ''), (e) => e.code === 'UPLINK_REJECTED' && /empty/.test(e.message));
});

test('an oversized uplink or room message is refused client-side with a clear error and the connection is kept', async () => {
  const n = await node();
  n.onFrame = (conn, f) => {
    if (f.type === 'UPLINK') conn.send({ type: 'UPLINK_ACK', seq: f.seq, messageId: messageIdFromText(newId()) });
  };
  const { c, seen } = client([n]);
  await c.connect();
  await assert.rejects(c.uplink('demo', new Uint8Array(70_000)), (e) => e instanceof HeraldError && e.code === 'FRAME_TOO_LARGE'
    && /over the frame limit of 65536/.test(e.message) && /nothing was sent/.test(e.message));
  await assert.rejects(c.sendToRoom('demo', 'lobby', new Uint8Array(65_536)), (e) => e.code === 'FRAME_TOO_LARGE');
  assert.ok(await c.uplink('demo', new Uint8Array(65_000)), 'a payload that fits still goes');
  assert.equal(n.connections.length, 1);
  assert.equal(c.state, 'connected');
  assert.equal(seen.disconnects.length, 0);
  assert.ok(!n.frames.some((f) => f.type === 'UPLINK' && f.payload.length > 65_000));
});

test('garbage from the server: DISCONNECT MALFORMED_FRAME, reported, reconnect, and no message passed twice', async () => {
  const n = await node();
  const { c, seen } = client([n]);
  await c.connect();
  const id = newId();
  n.connections[0].push(id, { text: 'before the garbage' });
  await until(() => seen.pushes.length === 1, 'the push');
  n.connections[0].sendRaw(new Uint8Array([0, 0, 0, 9, 1, 5, 0, 0, 0, 0, 1, 0xde, 0xad]));
  await until(() => seen.connects === 2, 'the reconnect');

  assert.equal(seen.disconnects[0].code, 'MALFORMED_FRAME');
  assert.match(seen.disconnects[0].message, /bad frame/);
  assert.equal(seen.disconnects[0].willReconnect, true);
  const told = n.connections[0].of('DISCONNECT');
  assert.equal(told.length, 1);
  assert.equal(told[0].code, 'MALFORMED_FRAME');

  n.connections[1].push(id, { text: 'before the garbage', replay: true }); // its ACK may have been lost
  n.connections[1].push(newId(), { text: 'after' });
  await until(() => n.connections[1].of('ACK').flatMap((a) => a.messageIds).length === 2, 'both ACKed');
  assert.deepEqual(seen.pushes.map((m) => m.text), ['before the garbage', 'after']);
});

test('a text message from the server is refused like garbage', async () => {
  const n = await node();
  const { c, seen } = client([n]);
  await c.connect();
  n.connections[0].ws.send('hello?');
  await until(() => seen.connects === 2, 'the reconnect');
  assert.equal(seen.disconnects[0].code, 'MALFORMED_FRAME');
  assert.match(seen.disconnects[0].message, /text message/);
});

test('a connection closed in the middle of a frame: reconnect, reported', async () => {
  const n = await node();
  const { c, seen } = client([n]);
  await c.connect();
  const socket = n.connections[0].ws._socket;
  socket.write(Buffer.from([0x82, 0x7e, 0x01, 0x00, 0, 0, 0, 0xfc, 1, 5])); // a 256-byte binary message, cut short
  socket.destroy();
  await until(() => seen.connects === 2, 'the reconnect');
  assert.equal(seen.disconnects[0].code, null);
  assert.match(seen.disconnects[0].message, /connection closed/);
});

test('an unknown opcode is answered UNSUPPORTED_OPCODE and the connection stays', async () => {
  const n = await node();
  const { c } = client([n]);
  await c.connect();
  n.connections[0].sendRaw(new Uint8Array([0, 0, 0, 7, 1, 0x20, 0, 0, 0, 0, 42]));
  await until(() => n.frames.some((f) => f.type === 'ERROR'), 'the ERROR');
  const error = n.frames.find((f) => f.type === 'ERROR');
  assert.equal(error.code, 'UNSUPPORTED_OPCODE');
  assert.equal(error.seq, 42);
  assert.equal(c.state, 'connected');
});

test('after a node is gone the next attempt goes to the next node of the list', async () => {
  const dead = await node();
  const deadUrl = dead.url;
  await dead.close();
  const alive = await node();
  const { c, seen } = client([deadUrl, alive.url]);
  await assert.rejects(c.connect(), (e) => e instanceof HeraldError && e.code === null);
  await until(() => seen.connects === 1, 'the connection to the second node');
  assert.equal(c.server, alive.url);
  alive.connections[0].ws.terminate();
  await until(() => seen.states.filter((s) => s === 'connecting').length >= 3, 'attempts going round the list');
});

test('a refusal a retry cannot fix ends the attempts; a server DISCONNECT that can be retried does not', async () => {
  const refusing = await node({ connack: { code: 'BAD_TOKEN', heartbeatSeconds: 0, message: 'token signature does not match' } });
  const { c, seen } = client([refusing]);
  await assert.rejects(c.connect(), (e) => e.code === 'BAD_TOKEN' && /signature/.test(e.message));
  await until(() => c.state === 'idle', 'idle');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(refusing.connections.length, 1);
  assert.equal(seen.disconnects[0].willReconnect, false);

  const n = await node();
  const second = client([n]);
  await second.c.connect();
  n.connections[0].send({ type: 'DISCONNECT', seq: 0, code: 'SERVER_SHUTDOWN', message: 'draining' });
  await until(() => second.seen.connects === 2, 'the reconnect after SERVER_SHUTDOWN');
  n.connections[1].send({ type: 'DISCONNECT', seq: 0, code: 'SESSION_REPLACED', message: 'newer connection' });
  await until(() => second.c.state === 'idle', 'idle after SESSION_REPLACED');
  assert.deepEqual(second.seen.disconnects.map((d) => [d.code, d.willReconnect]),
    [['SERVER_SHUTDOWN', true], ['SESSION_REPLACED', false]]);
});

test('rooms: join with history, live messages in order, joined again after a reconnect without repeats', async () => {
  const n = await node();
  const room = (conn, seq, roomSeq, history) => conn.send({ type: 'ROOM_MESSAGE', seq: 0, flags: history ? 1 : 0,
    messageId: messageIdFromText(newId()), appId: 'demo', roomId: 'lobby', roomSeq: BigInt(roomSeq), senderId: 'd2',
    sentAt: 1764064800123n, payload: new TextEncoder().encode(`m${roomSeq}`) });
  n.onFrame = (conn, f) => {
    if (f.type === 'ROOM_JOIN') {
      conn.send({ type: 'ROOM_ACK', seq: f.seq, kind: 'JOINED', code: 'OK', appId: f.appId, roomId: f.roomId, roomSeq: 2n, memberCount: 3 });
      room(conn, 0, 1, true);
      room(conn, 0, 2, true);
    } else if (f.type === 'ROOM_SEND') {
      conn.send({ type: 'ROOM_ACK', seq: f.seq, kind: 'SENT', code: 'OK', appId: f.appId, roomId: f.roomId, roomSeq: 3n, memberCount: 0,
        messageId: messageIdFromText('01JDN5XG0028T8KAYDXW0J6HB7') });
      room(conn, 0, 3, false);
    }
  };
  const { c, seen } = client([n]);
  await c.connect();
  assert.deepEqual(await c.join('demo', 'lobby', 20), { appId: 'demo', roomId: 'lobby', roomSeq: 2, memberCount: 3 });
  assert.deepEqual(await c.sendToRoom('demo', 'lobby', 'm3'), { id: '01JDN5XG0028T8KAYDXW0J6HB7', roomSeq: 3 });
  await until(() => seen.rooms.length === 3, 'history and the live message');
  assert.deepEqual(seen.rooms.map((m) => [m.text, m.history]), [['m1', true], ['m2', true], ['m3', false]]);

  n.connections[0].ws.terminate();
  await until(() => n.connections.length === 2 && n.connections[1].of('ROOM_JOIN').length === 1, 'the join again');
  assert.equal(n.connections[1].of('ROOM_JOIN')[0].historyLimit, 20);
  room(n.connections[1], 0, 4, false);
  await until(() => seen.rooms.length === 4, 'the live message after the rejoin');
  assert.deepEqual(seen.rooms.map((m) => m.roomSeq), [1, 2, 3, 4], 'the rejoin\'s history is not passed twice');

  n.connections[1].send({ type: 'ROOM_ACK', seq: 0, kind: 'REMOVED', code: 'ROOM_KICKED', appId: 'demo', roomId: 'lobby', roomSeq: 0n, memberCount: 0 });
  const removed = await new Promise((resolve) => c.on('roomRemoved', resolve));
  assert.deepEqual(removed, { appId: 'demo', roomId: 'lobby', code: 'ROOM_KICKED' });
  await assert.rejects(new HeraldClient({ servers: [n.url], deviceId: 'x', apps: { demo: 't' }, WebSocket }).join('demo', 'lobby'),
    (e) => e.code === 'ROOM_REJECTED' && /not connected/.test(e.message));
});

test('an ERROR answering no request is passed to the error event; the connection stays', async () => {
  const n = await node();
  const { c, seen } = client([n]);
  await c.connect();
  n.connections[0].send({ type: 'ERROR', seq: 99, code: 'ALREADY_CONNECTED', message: 'second CONNECT ignored' });
  await until(() => seen.errors.length === 1, 'the error event');
  assert.deepEqual(seen.errors[0], { code: 'ALREADY_CONNECTED', message: 'second CONNECT ignored', seq: 99 });
  assert.equal(c.state, 'connected');
});

test('close() sends the pending ACKs and DISCONNECT CLIENT_DISCONNECT, and stops reconnecting', async () => {
  const n = await node();
  const { c, seen } = client([n], { ackDelayMs: 10_000 });
  await c.connect();
  const id = newId();
  n.connections[0].push(id);
  await until(() => seen.pushes.length === 1, 'the push');
  await c.close();

  const sent = n.connections[0].frames.map((f) => f.type);
  assert.deepEqual(sent, ['CONNECT', 'ACK', 'DISCONNECT']);
  assert.equal(n.connections[0].frames[2].code, 'CLIENT_DISCONNECT');
  assert.equal(c.state, 'closed');
  assert.deepEqual(seen.disconnects.map((d) => d.code), ['CLIENT_DISCONNECT']);
  await assert.rejects(c.connect(), /closed/);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(n.connections.length, 1);
});

test('a token function is asked on every connect', async () => {
  const n = await node();
  let minted = 0;
  const { c, seen } = client([n], { apps: { demo: async () => `token-${++minted}` } });
  await c.connect();
  n.connections[0].ws.terminate();
  await until(() => seen.connects === 2, 'the reconnect');
  assert.deepEqual(n.frames.filter((f) => f.type === 'CONNECT').map((f) => f.apps[0].token), ['token-1', 'token-2']);
});
