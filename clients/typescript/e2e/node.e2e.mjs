// The SDK in Node.js against a running Herald suite (started by e2e-tests' TypeScriptSdkE2ETest): one device on
// two apps receives a unicast, a broadcast, a room's history and live messages and sends an uplink through the
// first access node; that node is then killed (SIGKILL) mid-run and the device reconnects to the other node by
// itself, receives what was sent while it was cut off (its offline backlog), is back in its room, and never
// gets one message id twice.
import { HeraldClient } from '../dist/index.js';
import { HeraldRest, check, env, unique, until, untilInHistory } from './herald-rest.mjs';

const demo = HeraldRest.fromEnv('HERALD_APP');
const other = HeraldRest.fromEnv('HERALD_OTHER_APP');
const doomedUrl = env('HERALD_WS_DOOMED');
const survivorUrl = env('HERALD_WS_1');
const doomedPid = Number(env('HERALD_DOOMED_PID'));
const deviceId = unique('ts-node');
const roomId = unique('ts-room');

const timer = setTimeout(() => fail(new Error('the scenario took over 150 s')), 150_000);

async function main() {
  const demoToken = await demo.token(deviceId);
  const otherToken = await other.token(deviceId);
  // Tokens are asked on every connect; the test holds the reconnect here until the backlog is in place.
  let gate = Promise.resolve();
  const client = new HeraldClient({
    servers: [doomedUrl, survivorUrl],
    deviceId,
    apps: { [demo.appId]: async () => { await gate; return demoToken; }, [other.appId]: otherToken },
    reconnect: { initialMs: 200, maxMs: 1000 },
  });
  const pushes = [];
  const rooms = [];
  const disconnects = [];
  client.on('push', (m) => pushes.push(m));
  client.on('roomMessage', (m) => rooms.push(m));
  client.on('disconnected', (e) => disconnects.push(e));
  const received = (id) => until(() => pushes.find((m) => m.id === id), `push ${id}`);

  await client.connect();
  check(client.server === doomedUrl, `connected to the first node, not ${client.server}`);

  const unicast = await demo.send({ deviceId, text: 'unicast via node 1', offline: true });
  check((await received(unicast.id)).text === 'unicast via node 1', 'unicast text');

  // Online only: a stored broadcast would reach every device the suite's other tests ever made.
  const broadcast = await other.send({ broadcast: true, text: 'broadcast to other', offline: false });
  const b = await received(broadcast.id);
  check(b.broadcast && b.appId === other.appId, `broadcast flags ${JSON.stringify(b)}`);

  const before = await demo.postToRoom(roomId, 'before the join');
  await untilInHistory(demo, roomId, before.id);
  const joined = await client.join(demo.appId, roomId, 20);
  check(joined.roomSeq >= 1, `joined at ${joined.roomSeq}`);
  await until(() => rooms.find((m) => m.id === before.id && m.history), 'the room history');
  const live = await demo.postToRoom(roomId, 'live in the room');
  await until(() => rooms.find((m) => m.id === live.id && !m.history), 'a live room message');
  const own = await client.sendToRoom(demo.appId, roomId, 'from the node device');
  await until(() => rooms.find((m) => m.id === own.id), 'its own room message');

  const uplinkId = await client.uplink(demo.appId, 'temperature=21');
  check(/^[0-7][0-9A-Z]{25}$/.test(uplinkId), `uplink id ${uplinkId}`);

  // Kill the node the device is on, mid-run.
  let release;
  gate = new Promise((resolve) => (release = resolve));
  process.kill(doomedPid, 'SIGKILL');
  await until(() => disconnects.length === 1, 'the disconnect from the killed node');
  const whileAway = await demo.send({ deviceId, text: 'sent while cut off', offline: true, ttlSeconds: 600 });
  await until(async () => (await demo.status(whileAway.id)).stored >= 1, 'the message stored for the device');
  release();

  const backlog = await received(whileAway.id);
  check(client.server === survivorUrl, `reconnected to the other node, not ${client.server}`);
  check(backlog.text === 'sent while cut off', 'backlog text');
  const afterKill = await demo.postToRoom(roomId, 'live after the reconnect');
  await until(() => rooms.find((m) => m.id === afterKill.id), 'a room message after the reconnect (joined again by itself)');
  const liveAgain = await demo.send({ deviceId, text: 'unicast via node 2', offline: true });
  await received(liveAgain.id);

  const ids = pushes.map((m) => m.id);
  check(new Set(ids).size === ids.length, `a message id passed twice: ${ids}`);
  const seqs = rooms.map((m) => m.roomSeq);
  check(seqs.every((s, i) => i === 0 || s > seqs[i - 1]), `room messages out of order or repeated: ${seqs}`);
  await client.close();
  console.log('E2E-NODE OK ' + JSON.stringify({
    deviceId, pushes: pushes.length, roomMessages: rooms.length, replayed: backlog.replay, uplinkId,
    disconnect: disconnects[0].code ?? disconnects[0].message, duplicatesDropped: client.duplicatesDropped,
  }));
}

function fail(e) {
  console.error('E2E-NODE FAILED: ' + (e.stack ?? e));
  process.exit(1);
}

main().then(() => {
  clearTimeout(timer);
  process.exit(0);
}, fail);
