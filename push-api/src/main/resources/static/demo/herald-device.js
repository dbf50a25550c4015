// A browser device built on Herald's TypeScript SDK (herald-push.js, built from clients/typescript): it connects
// over WebSocket, shows pushes (acknowledged, de-duplicated, broadcast cursor kept in localStorage), reconnects
// by itself and sends uplinks. See docs/sdk-typescript.md.
import { HeraldClient, LocalStorageCursorStore } from './herald-push.js';

const $ = (id) => document.getElementById(id);
const utf8 = new TextEncoder();
let client = null;

function status(text, cls) {
  const s = $('status');
  s.textContent = text;
  s.className = cls || '';
}

// A real app keeps its secret on its server and mints tokens there; this page holds it only for the demo.
// It signs the request (HERALD-HMAC-SHA256, docs/security.md) where WebCrypto is available (localhost,
// https), and falls back to HTTP Basic, which only a server with herald.api.auth.basic-enabled accepts.
const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

async function authorization(key, secret, method, path, body) {
  if (!(window.crypto && crypto.subtle)) {
    $('auth').textContent = 'HTTP Basic (no WebCrypto on this origin)';
    return 'Basic ' + btoa(key + ':' + secret);
  }
  $('auth').textContent = 'signed (HERALD-HMAC-SHA256)';
  const bodyHash = hex(await crypto.subtle.digest('SHA-256', utf8.encode(body)));
  const ts = Math.floor(Date.now() / 1000);
  const nonce = hex(crypto.getRandomValues(new Uint8Array(16)));
  const toSign = ['HERALD-HMAC-SHA256', key, ts, nonce, method, path, '', bodyHash].join('\n');
  const hmacKey = await crypto.subtle.importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = hex(await crypto.subtle.sign('HMAC', hmacKey, utf8.encode(toSign)));
  return `HERALD-HMAC-SHA256 key="${key.replace(/["\\]/g, '\\$&')}", ts=${ts}, nonce=${nonce}, sig=${sig}`;
}

async function mintToken(app, key, secret, device) {
  const path = `/v1/apps/${encodeURIComponent(app)}/device-tokens`;
  const body = JSON.stringify({ deviceId: device });
  const r = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: await authorization(key, secret, 'POST', path, body) },
    body,
  });
  const answer = await r.json();
  if (!r.ok) throw new Error(answer.detail || 'HTTP ' + r.status);
  return answer.token;
}

async function connect() {
  const app = $('app').value;
  const device = $('device').value;
  if (client) await client.close();
  try {
    status('minting a device token…');
    const token = await mintToken(app, $('key').value, $('secret').value, device);
    status('connecting…');
    client = new HeraldClient({
      servers: $('ws').value.split(',').map((s) => s.trim()).filter(Boolean),
      deviceId: device,
      apps: { [app]: token },
      cursorStore: new LocalStorageCursorStore(device),
    });
    client.on('push', (m) => {
      const li = document.createElement('li');
      li.className = 'push';
      li.dataset.id = m.id;
      li.textContent = `${m.text} — ${m.appId}` + (m.broadcast ? ` broadcast #${m.broadcastSeq}` : ' unicast')
        + (m.replay ? ' (stored while offline)' : '');
      $('pushes').prepend(li);
    });
    client.on('connected', () => {
      status('connected', 'connected');
      $('uplink').disabled = false;
    });
    client.on('disconnected', (e) => {
      $('uplink').disabled = true;
      status(`disconnected: ${e.code ?? 'closed'} ${e.message}` + (e.willReconnect ? ' (reconnecting…)' : ''), 'error');
    });
    client.on('error', (e) => status(`error ${e.code}: ${e.message}`, 'error'));
    await client.connect();
  } catch (e) {
    status(e.code ? `refused: ${e.code} ${e.message}` : e.message, 'error');
  }
}

async function uplink() {
  $('uplinkResult').textContent = 'sending…';
  try {
    const id = await client.uplink($('app').value, $('uplinkText').value);
    $('uplinkResult').textContent = 'accepted as ' + id;
  } catch (e) {
    $('uplinkResult').textContent = `refused: ${e.code} ${e.message}`;
  }
}

const params = new URLSearchParams(location.search);
$('ws').value = params.get('ws') || `ws://${location.hostname || '127.0.0.1'}:7070/ws`;
$('device').value = params.get('device') || 'browser-' + Math.random().toString(36).slice(2, 8);
for (const k of ['app', 'key', 'secret']) if (params.get(k)) $(k).value = params.get(k);
$('connect').onclick = connect;
$('uplink').onclick = uplink;
if (params.get('autoconnect') === '1') connect();
