// One Node.js process holding many SDK connections against a running suite: memory per connection, and how long
// a broadcast takes to reach the last of them. Usage (a suite from `deploy/local/herald.sh start`):
//
//   node --expose-gc bench/connections.mjs [connections=5000] [broadcasts=10]
//
// Settings from the environment, defaults those of the local demo: HERALD_API_URL (http://127.0.0.1:8080),
// HERALD_APP / HERALD_APP_KEY / HERALD_APP_SECRET (demo), HERALD_WS (ws://127.0.0.1:7070/ws,ws://127.0.0.1:7071/ws:
// connections are spread over them). Tokens come from push-api, as an app server would mint them.
import { HeraldClient } from '../dist/index.js';
import { HeraldRest } from '../e2e/herald-rest.mjs';

const connections = Number(process.argv[2] ?? 5000);
const broadcasts = Number(process.argv[3] ?? 10);
const api = new HeraldRest(process.env.HERALD_API_URL ?? 'http://127.0.0.1:8080', process.env.HERALD_APP ?? 'demo',
  process.env.HERALD_APP_KEY ?? 'demo-key', process.env.HERALD_APP_SECRET ?? 'demo-secret-0123456789');
const servers = (process.env.HERALD_WS ?? 'ws://127.0.0.1:7070/ws,ws://127.0.0.1:7071/ws').split(',');
const run = Math.random().toString(36).slice(2, 8);

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return process.memoryUsage();
};

/** Runs task(i) for i in [0, n) with at most `width` at once. */
async function pool(n, width, task) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) await task(next++);
  }));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  if (!globalThis.gc) console.warn('run with --expose-gc for steadier memory figures');
  const tokens = new Array(connections);
  await pool(connections, 32, async (i) => { tokens[i] = await api.token(`ts-bench-${run}-${i}`); });

  const before = await settle();
  const clients = [];
  const arrivals = new Map(); // message id -> arrivals so far and the time of the last
  const started = Date.now();
  await pool(connections, 200, async (i) => {
    const client = new HeraldClient({
      servers: [servers[i % servers.length]],
      deviceId: `ts-bench-${run}-${i}`,
      apps: { [api.appId]: tokens[i] },
      reconnect: false,
    });
    client.on('push', (m) => {
      const seen = arrivals.get(m.id) ?? { count: 0, last: 0 };
      seen.count++;
      seen.last = Date.now();
      arrivals.set(m.id, seen);
    });
    await client.connect();
    clients.push(client);
  });
  const connectSeconds = (Date.now() - started) / 1000;
  const after = await settle();
  const perConnection = (field) => (after[field] - before[field]) / connections / 1024;

  const toLast = [];
  for (let b = 0; b < broadcasts; b++) {
    const { id, sentAt } = await api.send({ broadcast: true, text: `ts-bench ${run} ${b}`, offline: false });
    const deadline = Date.now() + 30_000;
    while ((arrivals.get(id)?.count ?? 0) < connections && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const seen = arrivals.get(id) ?? { count: 0, last: NaN };
    if (seen.count < connections) throw new Error(`broadcast ${b} reached ${seen.count} of ${connections} in 30 s`);
    toLast.push(seen.last - sentAt);
  }
  await Promise.all(clients.map((c) => c.close()));

  const result = {
    connections, connectSeconds, connectsPerSecond: Math.round(connections / connectSeconds),
    rssKBPerConnection: +perConnection('rss').toFixed(1), heapKBPerConnection: +perConnection('heapUsed').toFixed(1),
    broadcasts, broadcastToLastMedianMs: median(toLast), broadcastToLastMaxMs: Math.max(...toLast),
  };
  console.log(`[ts-sdk] ${connections} connections in ${connectSeconds.toFixed(1)} s (${result.connectsPerSecond}/s); `
    + `per connection RSS ${result.rssKBPerConnection} KB, JS heap ${result.heapKBPerConnection} KB; `
    + `broadcast to the last connection: median ${result.broadcastToLastMedianMs} ms, max ${result.broadcastToLastMaxMs} ms `
    + `(${broadcasts} broadcasts)`);
  console.log(JSON.stringify(result));
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
