// What an app server does for the end-to-end scripts: mint device tokens, send pushes and room messages through
// push-api (HTTP Basic with the app's key and secret, as the test suite and the local demo allow).
export const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required (the e2e-tests JUnit class sets it)`);
  return value;
};

export class HeraldRest {
  constructor(baseUrl, appId, key, secret) {
    this.baseUrl = baseUrl;
    this.appId = appId;
    this.auth = 'Basic ' + Buffer.from(`${key}:${secret}`).toString('base64');
  }

  static fromEnv(prefix = 'HERALD_APP') {
    return new HeraldRest(env('HERALD_API_URL'), env(prefix), env(`${prefix}_KEY`), env(`${prefix}_SECRET`));
  }

  async request(method, path, body) {
    for (let attempt = 0; ; attempt++) {
      const r = await fetch(this.baseUrl + path, {
        method,
        headers: { Authorization: this.auth, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await r.text();
      // A full delivery backlog on a loaded machine: retry after Retry-After, as a well-behaved app server does.
      if (r.status === 503 && attempt < 30) {
        await sleep(1000 * Number(r.headers.get('Retry-After') ?? 1));
        continue;
      }
      if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status} ${text}`);
      return text ? JSON.parse(text) : {};
    }
  }

  async token(deviceId) {
    return (await this.request('POST', `/v1/apps/${this.appId}/device-tokens`, { deviceId })).token;
  }

  /** Sends a message; resolves with its id and the time it was accepted. */
  async send(message) {
    const sentAt = Date.now();
    const answer = await this.request('POST', `/v1/apps/${this.appId}/messages`, message);
    return { id: answer.id, sentAt };
  }

  status(id) {
    return this.request('GET', `/v1/apps/${this.appId}/messages/${id}`);
  }

  postToRoom(roomId, text) {
    return this.request('POST', `/v1/apps/${this.appId}/rooms/${roomId}/messages`, { text });
  }

  roomHistory(roomId) {
    return this.request('GET', `/v1/apps/${this.appId}/rooms/${roomId}/messages?limit=50`);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for a condition, failing after timeoutMs with what was awaited. */
export async function until(condition, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

export const unique = (prefix) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

/** Waits until a message posted to a room is in its history, so that a join right after sends it. */
export function untilInHistory(rest, roomId, messageId) {
  return until(async () => (await rest.roomHistory(roomId)).messages.some((m) => m.id === messageId), `${messageId} in the history of ${roomId}`);
}
