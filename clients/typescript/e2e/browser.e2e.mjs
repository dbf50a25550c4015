// The SDK's browser bundle in real Chromium (Debian's /usr/bin/chromium through puppeteer-core, never a
// downloaded browser) against a running Herald suite (started by e2e-tests' TypeScriptSdkE2ETest). A page
// receives a unicast, a broadcast, a room's history and live messages, sends an uplink, then closes (a reload
// or a lost network) and, connecting to the other access node, receives the backlog stored meanwhile.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { HeraldRest, check, env, unique, until, untilInHistory } from './herald-rest.mjs';

const demo = HeraldRest.fromEnv('HERALD_APP');
const other = HeraldRest.fromEnv('HERALD_OTHER_APP');
const node1 = env('HERALD_WS_1');
const node2 = env('HERALD_WS_2');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const deviceId = unique('ts-browser');
const roomId = unique('ts-broom');

const files = {
  '/': ['text/html', new URL('./page.html', import.meta.url)],
  '/herald-push.js': ['text/javascript', new URL('../dist/browser/herald-push.js', import.meta.url)],
};

async function main(cleanups) {
  const server = createServer(async (req, res) => {
    const file = files[req.url];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': file[0] }).end(await readFile(file[1]));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  const profile = await mkdtemp(join(tmpdir(), 'herald-chromium-'));
  cleanups.push(() => rm(profile, { recursive: true, force: true }));
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', `--user-data-dir=${profile}`],
    userDataDir: profile,
    timeout: 60_000,
  });
  cleanups.push(() => browser.close());
  const page = await browser.newPage();
  page.on('console', (m) => console.log('[page] ' + m.text()));
  page.on('pageerror', (e) => console.log('[page error] ' + e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => document.title === 'ready', { timeout: 30_000 });
  const seen = () => page.evaluate(() => window.seen);
  const received = (id) => until(async () => (await seen()).pushes.find((m) => m.id === id), `push ${id} in the page`);

  const apps = { [demo.appId]: await demo.token(deviceId), [other.appId]: await other.token(deviceId) };
  const first = await page.evaluate((s, d, a) => window.herald.connect(s, d, a), [node1], deviceId, apps);
  check(first === node1, `connected to ${first}`);

  const unicast = await demo.send({ deviceId, text: 'hello, browser', offline: true });
  const u = await received(unicast.id);
  check(u.text === 'hello, browser' && !u.broadcast, `unicast ${JSON.stringify(u)}`);
  const latencyMs = u.at - unicast.sentAt;

  const broadcast = await other.send({ broadcast: true, text: 'to every browser', offline: false });
  check((await received(broadcast.id)).broadcast, 'broadcast flag');

  const before = await demo.postToRoom(roomId, 'before the page joined');
  await untilInHistory(demo, roomId, before.id);
  await page.evaluate((a, r) => window.herald.join(a, r), demo.appId, roomId);
  await until(async () => (await seen()).rooms.find((m) => m.id === before.id && m.history), 'the room history');
  const live = await demo.postToRoom(roomId, 'live in the room');
  await until(async () => (await seen()).rooms.find((m) => m.id === live.id && !m.history), 'a live room message');
  const own = await page.evaluate((a, r) => window.herald.sendToRoom(a, r, 'from the page'), demo.appId, roomId);
  await until(async () => (await seen()).rooms.find((m) => m.id === own.id), 'the page\'s own room message');

  const uplinkId = await page.evaluate((a) => window.herald.uplink(a, 'clicked'), demo.appId);
  check(/^[0-7][0-9A-Z]{25}$/.test(uplinkId), `uplink id ${uplinkId}`);

  // The page goes away; a message is stored for it; it comes back through the other node and gets the backlog.
  await page.evaluate(() => window.herald.close());
  const whileAway = await demo.send({ deviceId, text: 'stored while the page was away', offline: true, ttlSeconds: 600 });
  await until(async () => (await demo.status(whileAway.id)).stored >= 1, 'the message stored for the page');
  const second = await page.evaluate((s, d, a) => window.herald.connect(s, d, a), [node2], deviceId, apps);
  check(second === node2, `reconnected to ${second}`);
  const backlog = await received(whileAway.id);
  check(backlog.replay, 'the backlog is flagged REPLAY');

  const all = await seen();
  const ids = all.pushes.map((m) => m.id);
  check(new Set(ids).size === ids.length, `a message id passed twice: ${ids}`);
  await page.evaluate(() => window.herald.close());
  console.log('E2E-BROWSER OK ' + JSON.stringify({
    deviceId, browser: await browser.version(), pushes: ids.length, roomMessages: all.rooms.length, uplinkId,
    restToPageCallbackMs: latencyMs,
  }));
}

const cleanups = [];
const timer = setTimeout(() => finish(new Error('the scenario took over 150 s')), 150_000);
async function finish(error) {
  clearTimeout(timer);
  for (const cleanup of cleanups.reverse()) {
    await Promise.resolve().then(cleanup).catch(() => {});
  }
  if (error) {
    console.error('E2E-BROWSER FAILED: ' + (error.stack ?? error));
    process.exit(1);
  }
  process.exit(0);
}
main(cleanups).then(() => finish(), finish);
