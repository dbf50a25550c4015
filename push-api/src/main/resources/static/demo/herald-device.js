// A browser device speaking Herald's native protocol (docs/protocol.md) inside binary WebSocket
// messages: one frame, length prefix included, per message.
'use strict';

const OP = { CONNECT: 1, CONNACK: 2, PING: 3, PONG: 4, PUSH: 5, ACK: 6, ERROR: 7, DISCONNECT: 8, UPLINK: 9, UPLINK_ACK: 10 };
const FLAG_BROADCAST = 1, FLAG_REPLAY = 2;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const utf8 = new TextEncoder(), utf8dec = new TextDecoder();

class Writer {
  constructor() { this.bytes = []; }
  u8(v) { this.bytes.push(v & 0xff); return this; }
  u16(v) { return this.u8(v >> 8).u8(v); }
  u32(v) { return this.u16(v >>> 16).u16(v & 0xffff); }
  u64(v) { const b = BigInt(v); return this.u32(Number(b >> 32n)).u32(Number(b & 0xffffffffn)); }
  raw(arr) { for (const x of arr) this.bytes.push(x); return this; }
  str(s) { const b = utf8.encode(s); return this.u16(b.length).raw(b); }
  frame(op, seq) { // wraps the body written so far into a whole frame
    const body = this.bytes;
    const out = new Writer().u32(7 + body.length).u8(1).u8(op).u8(0).u32(seq).raw(body);
    return new Uint8Array(out.bytes);
  }
}

class Reader {
  constructor(buf) { this.v = new DataView(buf); this.p = 0; }
  u8() { return this.v.getUint8(this.p++); }
  u16() { const x = this.v.getUint16(this.p); this.p += 2; return x; }
  u32() { const x = this.v.getUint32(this.p); this.p += 4; return x; }
  u64() { const x = this.v.getBigUint64(this.p); this.p += 8; return x; }
  bytes(n) { const b = new Uint8Array(this.v.buffer, this.p, n); this.p += n; return b.slice(); }
  str() { return utf8dec.decode(this.bytes(this.u16())); }
}

function messageIdText(bytes) { // 128 bits → 26 chars of Crockford base32, as the server prints ids
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let s = '';
  for (let i = 0; i < 26; i++) { s = CROCKFORD[Number(n & 31n)] + s; n >>= 5n; }
  return s;
}

const $ = id => document.getElementById(id);
let socket = null, seq = 1, heartbeat = null;
const cursors = {}, pendingUplinks = {};

function status(text, cls) { const s = $('status'); s.textContent = text; s.className = cls || ''; }

// A real app keeps its secret on its server and mints tokens there; this page holds it only for the demo.
// It signs the request (HERALD-HMAC-SHA256, docs/security.md) where WebCrypto is available (localhost,
// https), and falls back to HTTP Basic, which only a server with herald.api.auth.basic-enabled accepts.
const hex = bytes => Array.from(new Uint8Array(bytes), b => b.toString(16).padStart(2, '0')).join('');

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
    headers: { 'Content-Type': 'application/json', 'Authorization': await authorization(key, secret, 'POST', path, body) },
    body
  });
  const answer = await r.json();
  if (!r.ok) throw new Error(answer.detail || ('HTTP ' + r.status));
  return answer.token;
}

function send(bytes) { if (socket && socket.readyState === WebSocket.OPEN) socket.send(bytes); }

function ack(idBytes, app, bseq) {
  const w = new Writer().u16(1).raw(idBytes);
  if (bseq > 0n) { cursors[app] = bseq > (cursors[app] || 0n) ? bseq : cursors[app]; w.u8(1).str(app).u64(cursors[app]); } else { w.u8(0); }
  send(w.frame(OP.ACK, seq++));
}

function onFrame(buf) {
  const r = new Reader(buf);
  r.u32(); r.u8(); const op = r.u8(); const flags = r.u8(); const fseq = r.u32();
  switch (op) {
    case OP.CONNACK: {
      const code = r.u16(), hb = r.u16(), msg = r.str();
      if (code !== 0) { status('refused: code ' + code + ' ' + msg, 'error'); return; }
      status('connected', 'connected');
      $('uplink').disabled = false;
      heartbeat = setInterval(() => send(new Writer().frame(OP.PING, seq++)), Math.max(5, hb - 5) * 1000);
      break;
    }
    case OP.PUSH: {
      const id = r.bytes(16), app = r.str(), bseq = r.u64(), payload = r.bytes(r.u32());
      const li = document.createElement('li');
      li.className = 'push';
      li.dataset.id = messageIdText(id);
      li.textContent = `${utf8dec.decode(payload)} — ${app}` + ((flags & FLAG_BROADCAST) ? ` broadcast #${bseq}` : ' unicast')
        + ((flags & FLAG_REPLAY) ? ' (stored while offline)' : '');
      $('pushes').prepend(li);
      ack(id, app, bseq);
      break;
    }
    case OP.UPLINK_ACK: {
      const id = messageIdText(r.bytes(16));
      $('uplinkResult').textContent = 'accepted as ' + id;
      delete pendingUplinks[fseq];
      break;
    }
    case OP.ERROR: {
      const code = r.u16(), msg = r.str();
      if (pendingUplinks[fseq]) { $('uplinkResult').textContent = 'refused: ' + msg; delete pendingUplinks[fseq]; }
      else status('error ' + code + ': ' + msg, 'error');
      break;
    }
    case OP.DISCONNECT: { const code = r.u16(), msg = r.str(); status('disconnected by server: ' + code + ' ' + msg, 'error'); break; }
    default: break; // PONG and anything newer
  }
}

async function connect() {
  const app = $('app').value, device = $('device').value;
  try {
    status('minting a device token…');
    const token = await mintToken(app, $('key').value, $('secret').value, device);
    status('connecting…');
    socket = new WebSocket($('ws').value, 'herald.v1');
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => send(new Writer().u16(60).str(device).u8(1).str(app).str(token).u64(cursors[app] || 0n).frame(OP.CONNECT, seq++));
    socket.onmessage = e => onFrame(e.data);
    socket.onclose = () => { clearInterval(heartbeat); $('uplink').disabled = true; if ($('status').className !== 'error') status('disconnected'); };
    socket.onerror = () => status('WebSocket error', 'error');
  } catch (e) {
    status(e.message, 'error');
  }
}

function uplink() {
  const s = seq++;
  pendingUplinks[s] = true;
  const payload = utf8.encode($('uplinkText').value);
  send(new Writer().str($('app').value).u32(payload.length).raw(payload).frame(OP.UPLINK, s));
  $('uplinkResult').textContent = 'sending…';
}

const params = new URLSearchParams(location.search);
$('ws').value = params.get('ws') || `ws://${location.hostname || '127.0.0.1'}:7070/ws`;
$('device').value = params.get('device') || ('browser-' + Math.random().toString(36).slice(2, 8));
for (const k of ['app', 'key', 'secret']) if (params.get(k)) $(k).value = params.get(k);
$('connect').onclick = connect;
$('uplink').onclick = uplink;
if (params.get('autoconnect') === '1') connect();
