'use strict';
// Herald ops console: three views over the config-server's admin API (/admin/v1/...). No framework and no
// build step; every piece of data is put into the page as text (never as HTML), so nothing a node or an
// instance reports can inject markup.

const TOKEN_KEY = 'herald.console.token';
const OPERATOR_KEY = 'herald.console.operator';
const REFRESH_MS = 5000;
const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- DOM and formatting

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child != null && child !== false) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c != null && c !== false));
}

const fmt = {
  num(n, digits = 1) {
    if (n == null) return '–';
    return Number.isInteger(n) ? n.toLocaleString('en') : n.toFixed(digits);
  },
  bytes(n) {
    if (n == null) return '–';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let value = Math.abs(n), unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return (n < 0 ? '-' : '') + (unit === 0 ? value : value.toFixed(1)) + ' ' + units[unit];
  },
  pct(n) { return n == null ? '–' : n.toFixed(1) + ' %'; },
  signed(n, unit = '') { return n == null ? '–' : (n > 0 ? '+' : '') + fmt.num(n) + unit; },
  seconds(s) {
    if (s == null) return '–';
    const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    if (d) return `${d}d ${h}h`;
    if (h) return `${h}h ${m}m`;
    return m ? `${m}m ${Math.floor(s % 60)}s` : `${Math.round(s)}s`;
  },
  time(iso) { return iso ? new Date(iso).toLocaleString('en-GB', { hour12: false }) : '–'; },
};

// ---------------------------------------------------------------- the admin API

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(method, path, body) {
  const headers = {
    Authorization: 'Bearer ' + (sessionStorage.getItem(TOKEN_KEY) || ''),
    Accept: 'application/json, application/problem+json',
  };
  const operator = sessionStorage.getItem(OPERATOR_KEY);
  if (operator) headers['X-Herald-Operator'] = operator;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { title: 'Config-server unreachable', detail: `The config-server did not answer (${e.message}).` });
  }
  const text = await response.text();
  let document = null;
  try { document = text ? JSON.parse(text) : null; } catch (e) { document = null; }
  if (response.status === 401) {
    showLogin(document && document.detail ? document.detail : 'The admin token was refused.');
    throw new ApiError(401, document || {});
  }
  if (!response.ok) {
    throw new ApiError(response.status, document || { title: `HTTP ${response.status}`, detail: text.slice(0, 300) });
  }
  return document;
}

/** A problem document as the console shows it: title, code, detail and every faulty member. */
function problemBox(error) {
  const p = error.problem || { detail: String(error.message || error) };
  return el('div', { class: 'problem', role: 'alert', dataset: { code: p.code || '', status: String(error.status || '') } },
    el('strong', {}, p.title || 'Error', p.code ? ` (${p.code})` : ''),
    el('p', {}, p.detail || ''),
    Array.isArray(p.errors) && p.errors.length
      ? el('ul', { class: 'field-errors' }, p.errors.map((f) => el('li', { dataset: { field: f.field } },
        el('code', {}, f.field), ': ', f.message)))
      : null);
}

// ---------------------------------------------------------------- session and navigation

function showLogin(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  cluster.stop();
  document.querySelectorAll('.view').forEach((v) => { v.hidden = true; });
  $('session').hidden = true;
  $('login').hidden = false;
  $('loginError').hidden = !message;
  $('loginError').textContent = message || '';
  $('token').focus();
}

$('loginForm').addEventListener('submit', async (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  sessionStorage.setItem(OPERATOR_KEY, $('operator').value.trim() || 'console');
  $('token').value = '';
  try {
    await api('GET', '/admin/v1/config');
  } catch (e) {
    if (e.status !== 401) { $('loginError').hidden = false; $('loginError').textContent = e.message; }
    return;
  }
  route();
});

$('signOut').addEventListener('click', () => showLogin());

const views = {};

async function route() {
  if (!sessionStorage.getItem(TOKEN_KEY)) { showLogin(); return; }
  const [name, ...rest] = (location.hash.slice(1) || 'cluster').split('/');
  const view = views[name] ? name : 'cluster';
  $('login').hidden = true;
  $('session').hidden = false;
  $('operatorName').textContent = sessionStorage.getItem(OPERATOR_KEY) || '';
  document.querySelectorAll('.view').forEach((v) => { v.hidden = v.id !== view; });
  document.querySelectorAll('#tabs a').forEach((a) => a.classList.toggle('active', a.dataset.view === view));
  if (view !== 'cluster') cluster.stop();
  await views[view].show(rest.join('/'));
}

window.addEventListener('hashchange', route);

// ---------------------------------------------------------------- cluster view

const POOL_COLUMNS = [
  ['idle', 'idle'], ['active', 'active'], ['created', 'created'], ['createFailures', 'create failures'],
  ['acquireTimeouts', 'acquire time-outs'], ['callErrors', 'call errors'], ['idleTimeouts', 'idle time-outs'],
  ['qps', 'QPS'],
];
const FAILURE_COLUMNS = new Set(['createFailures', 'acquireTimeouts', 'callErrors']);

const cluster = {
  timer: null,
  // "service/node" → its pools at the previous refresh: the counts are since each instance started, so what
  // matters at 3 am is whether a failure count is growing now.
  previous: new Map(),

  async show() {
    await this.load();
    this.schedule();
  },

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
  },

  schedule() {
    this.stop();
    if ($('autoRefresh').checked && !$('cluster').hidden) {
      this.timer = setTimeout(() => this.load().finally(() => this.schedule()), REFRESH_MS);
    }
  },

  async load() {
    $('cluster').setAttribute('aria-busy', 'true');
    try {
      this.render(await api('GET', '/admin/v1/cluster'));
      fill($('clusterError'));
    } catch (e) {
      if (e.status !== 401) fill($('clusterError'), problemBox(e));
    } finally {
      $('cluster').setAttribute('aria-busy', 'false');
    }
  },

  render(report) {
    const all = report.cells.flatMap((c) => c.services.flatMap((s) => s.instances));
    const before = this.previous;
    this.previous = new Map(all.map((i) => [instanceKey(i), i.pools || []]));
    const rising = new Map(all.map((i) => [instanceKey(i), risingFailures(i.pools, before.get(instanceKey(i)))]));
    const sick = all.filter((i) => i.status !== 'UP' || i.problems.length || rising.get(instanceKey(i)) > 0);
    fill($('clusterSummary'),
      el('strong', {}, `${report.instances} instances`), ' · ',
      el('span', { class: 'ok' }, `${report.up} up`), ' · ',
      el('span', { class: report.instances - report.up ? 'bad' : 'muted' }, `${report.instances - report.up} not up`));
    $('checkedAt').textContent = 'checked ' + fmt.time(report.checkedAt);
    fill($('attention'), sick.map((i) => el('li', { class: 'status-' + i.status },
      el('a', { href: '#cluster', onclick: (e) => { e.preventDefault(); scrollToInstance(i); } }, `${i.service}/${i.node}`),
      ` ${i.status}`, reasons(i, rising.get(instanceKey(i))))));
    if (!all.length) {
      fill($('cells'), el('p', { class: 'muted' }, 'No instance is registered in ZooKeeper (<root>/instances).'));
      return;
    }
    fill($('cells'), report.cells.map((cell) => el('section', { class: 'cell', dataset: { cell: cell.cell } },
      el('h2', {}, 'Cell ', el('code', {}, cell.cell)),
      cell.services.map((service) => el('div', { class: 'service', dataset: { service: service.service } },
        el('h3', {}, service.service, el('span', { class: 'count' }, String(service.instances.length))),
        el('div', { class: 'instances' }, service.instances.map((i) => instanceCard(i, before.get(instanceKey(i))))))))));
  },
};

function instanceKey(i) { return `${i.service}/${i.node}`; }

function reasons(instance, rising) {
  const down = Object.entries(instance.components).filter(([, status]) => status !== 'UP').map(([name, s]) => `${name} ${s}`);
  return [down.length ? ` — ${down.join(', ')}` : '', rising ? ` — ${rising} new pool failures since the last refresh` : '',
    instance.problems.length ? ` — ${instance.problems[0]}` : ''].join('');
}

/** How much a failure column of the pool grew since {@code before} (0 without an earlier reading). */
function growth(pool, column, before) {
  const earlier = (before || []).find((b) => b.pool === pool.pool);
  return earlier ? Math.max(0, (pool[column] || 0) - (earlier[column] || 0)) : 0;
}

function risingFailures(pools, before) {
  return (pools || []).reduce((sum, p) => sum + [...FAILURE_COLUMNS].reduce((s, c) => s + growth(p, c, before), 0), 0);
}

function scrollToInstance(instance) {
  const card = document.querySelector(`.instance[data-service="${CSS.escape(instance.service)}"][data-node="${CSS.escape(instance.node)}"]`);
  if (card) card.scrollIntoView({ behavior: 'smooth', block: 'center' });
}

/** Health components that say nothing about the instance's dependencies: shown only when they are not UP. */
const ROUTINE_COMPONENTS = new Set(['ping', 'ssl', 'diskSpace', 'livenessState', 'readinessState']);

function instanceCard(i, poolsBefore) {
  const m = i.metrics || {};
  const components = Object.entries(i.components).filter(([name, status]) => status !== 'UP' || !ROUTINE_COMPONENTS.has(name));
  const metric = (label, value, name) => el('div', { class: 'metric', dataset: { metric: name } }, el('dt', {}, label), el('dd', {}, value));
  return el('article', { class: `instance status-${i.status}`, dataset: { service: i.service, node: i.node, status: i.status } },
    el('div', { class: 'about' },
      el('header', {},
        el('h4', {}, i.node),
        el('span', { class: 'badge status' }, i.status),
        el('a', { class: 'link', href: `#profiles/${i.service}/${i.node}` }, 'profiles')),
      el('p', { class: 'muted', title: `started ${fmt.time(i.startedAt)}` }, `${i.host}:${i.port} · management :${i.managementPort}`),
      components.length
        ? el('ul', { class: 'components' }, components.map(([name, status]) =>
          el('li', { class: 'badge status-' + status, dataset: { component: name } }, `${name} ${status}`)))
        : null,
      i.metrics ? el('dl', { class: 'metrics' },
        m.connections != null ? metric('connections', fmt.num(m.connections, 0), 'connections') : null,
        metric('CPU', fmt.pct(m.cpuPercent), 'cpu'),
        metric('heap', m.heapMaxBytes ? `${fmt.bytes(m.heapUsedBytes)} / ${fmt.bytes(m.heapMaxBytes)}` : fmt.bytes(m.heapUsedBytes), 'heap'),
        metric('threads', fmt.num(m.liveThreads, 0), 'threads'),
        metric('max GC pause', m.gcPauseMaxMillis == null ? '–' : fmt.num(m.gcPauseMaxMillis) + ' ms', 'gc'),
        metric('uptime', fmt.seconds(m.uptimeSeconds), 'uptime')) : null,
      i.problems.length ? el('ul', { class: 'problems' }, i.problems.map((p) => el('li', {}, p))) : null),
    i.pools ? el('div', { class: 'pool-block' }, poolTable(i.pools, poolsBefore)) : null);
}

/** The eight columns; a failure count is red when not zero, and marked ▲ while it grows. */
function poolTable(pools, before) {
  if (!pools.length) return el('p', { class: 'muted' }, 'no client pools');
  return el('div', { class: 'scroll' }, el('table', { class: 'grid pools' },
    el('thead', {}, el('tr', {}, el('th', {}, 'pool'),
      // Headers wrap between words only: "acquire / time-outs", never "time- / outs".
      POOL_COLUMNS.map(([key, label]) => el('th', { class: 'n', dataset: { column: key } },
        label.split(' ').flatMap((word, n) => [n ? ' ' : null, el('span', { class: 'word' }, word)]))))),
    el('tbody', {}, pools.map((p) => el('tr', { dataset: { pool: p.pool } },
      el('td', { class: 'pool', title: p.target || '' }, el('strong', {}, p.pool), el('small', {}, `${p.kind || ''} · ${p.target || '-'}`)),
      POOL_COLUMNS.map(([key]) => {
        const failure = FAILURE_COLUMNS.has(key);
        const grew = failure ? growth(p, key, before) : 0;
        return el('td', { class: 'n' + (failure && p[key] > 0 ? ' bad' : '') + (grew ? ' rising' : ''), dataset: { column: key },
          title: grew ? `+${grew} since the last refresh` : null }, key === 'qps' ? fmt.num(p[key]) : fmt.num(p[key], 0));
      }))))));
}

$('refreshCluster').addEventListener('click', () => cluster.load());
$('autoRefresh').addEventListener('change', () => cluster.schedule());
views.cluster = cluster;

// ---------------------------------------------------------------- config view

const APP_TEMPLATE = {
  id: 'shop', name: 'Shop', key: 'shop-key', secrets: ['change-me-to-a-long-secret'],
  cell: 'default', limits: { messagesPerSecond: 0, messagesPerDay: 0 }, callbackUrl: null,
};

const config = {
  current: null, // the node being edited, as read; null while creating one

  async show(path) {
    await this.loadTree();
    if (path) await this.open(path);
  },

  async loadTree() {
    try {
      const nodes = await api('GET', '/admin/v1/config');
      fill($('treeError'));
      this.renderTree(nodes);
    } catch (e) {
      if (e.status !== 401) fill($('treeError'), problemBox(e));
    }
  },

  renderTree(nodes) {
    const folders = new Map();
    for (const node of nodes) {
      const cut = node.path.lastIndexOf('/');
      const folder = cut < 0 ? '' : node.path.slice(0, cut);
      if (!folders.has(folder)) folders.set(folder, []);
      folders.get(folder).push(node);
    }
    fill($('configTree'), [...folders.entries()].map(([folder, leaves]) => el('li', { class: 'folder' },
      el('span', {}, folder ? folder + '/' : '/'),
      el('ul', {}, leaves.map((n) => el('li', {},
        el('a', { href: '#config/' + n.path, dataset: { path: n.path },
          class: this.current && this.current.path === n.path ? 'selected' : null }, n.path.slice(folder.length ? folder.length + 1 : 0)),
        el('span', { class: 'version' }, 'v' + n.version),
        n.state === 'offline' ? el('span', { class: 'badge status-DOWN' }, 'offline') : null))))));
  },

  async open(path) {
    fill($('nodeResult'));
    try {
      this.current = await api('GET', '/admin/v1/config/' + path);
    } catch (e) {
      if (e.status !== 401) fill($('nodeResult'), problemBox(e));
      return;
    }
    const n = this.current;
    $('editorHint').hidden = true;
    $('nodeForm').hidden = false;
    $('nodeForm').dataset.path = n.path;
    $('nodeTitle').textContent = n.path;
    $('newPathLabel').hidden = true;
    $('nodeMeta').textContent = `version ${n.version} · ${n.state} · updated ${fmt.time(n.updatedAt)} by ${n.updatedBy}`;
    $('nodeValue').value = JSON.stringify(n.value, null, 2);
    $('toggleState').hidden = false;
    $('toggleState').textContent = n.state === 'online' ? 'Take offline' : 'Take online';
    document.querySelectorAll('#configTree a').forEach((a) => a.classList.toggle('selected', a.dataset.path === n.path));
    await this.loadHistory(n.path);
  },

  startNew() {
    this.current = null;
    $('editorHint').hidden = true;
    $('nodeForm').hidden = false;
    $('nodeForm').dataset.path = '';
    $('nodeTitle').textContent = 'New node';
    $('newPathLabel').hidden = false;
    $('newPath').value = '';
    $('nodeMeta').textContent = 'apps/<id> is an app (template below), global/blacklist-ips the blacklist; other paths hold any JSON object.';
    $('nodeValue').value = JSON.stringify(APP_TEMPLATE, null, 2);
    $('toggleState').hidden = true;
    $('historyBlock').hidden = true;
    fill($('nodeResult'));
    $('newPath').focus();
  },

  /** The textarea's JSON, or null after showing why it is not JSON (checked here, before any request). */
  value() {
    try {
      return JSON.parse($('nodeValue').value);
    } catch (e) {
      fill($('nodeResult'), problemBox({ problem: { title: 'Not valid JSON', detail: `${e.message}. Nothing was sent.` } }));
      return null;
    }
  },

  async save() {
    const value = this.value();
    if (value === null) return;
    const creating = this.current === null;
    const path = creating ? $('newPath').value.trim() : this.current.path;
    try {
      const saved = creating
        ? await api('POST', '/admin/v1/config/' + path, { value })
        : await api('PUT', '/admin/v1/config/' + path, { expectedVersion: this.current.version, value });
      await this.afterChange(saved, creating ? 'Created' : 'Saved');
    } catch (e) {
      if (e.status !== 401) this.showFailure(e);
    }
  },

  async toggleState() {
    const n = this.current;
    try {
      const saved = await api('PUT', '/admin/v1/state/' + n.path,
        { state: n.state === 'online' ? 'offline' : 'online', expectedVersion: n.version });
      await this.afterChange(saved, saved.state === 'online' ? 'Online' : 'Offline');
    } catch (e) {
      if (e.status !== 401) this.showFailure(e);
    }
  },

  async afterChange(saved, what) {
    if (location.hash !== '#config/' + saved.path) history.replaceState(null, '', '#config/' + saved.path);
    await this.loadTree();
    await this.open(saved.path);
    fill($('nodeResult'), el('div', { class: 'saved', role: 'status', dataset: { version: String(saved.version) } },
      `${what}: ${saved.path} is at version ${saved.version}. Services apply it within seconds.`));
  },

  showFailure(e) {
    const box = problemBox(e);
    if (e.problem && e.problem.code === 'VERSION_CONFLICT' && this.current) {
      box.append(el('button', { type: 'button', onclick: () => this.open(this.current.path) }, 'Reload the node (your edit is lost)'));
    }
    fill($('nodeResult'), box);
  },

  async loadHistory(path) {
    let entries = [];
    try { entries = await api('GET', '/admin/v1/history/' + path); } catch (e) { entries = []; }
    $('historyBlock').hidden = !entries.length;
    fill($('history').tBodies[0], entries.map((h) => el('tr', {},
      el('td', {}, String(h.version)), el('td', {}, h.state), el('td', {}, fmt.time(h.updatedAt)), el('td', {}, h.updatedBy),
      el('td', {}, el('button', { type: 'button', title: 'Put this value in the editor; Save writes it as a new version',
        onclick: () => { $('nodeValue').value = JSON.stringify(h.value, null, 2); } }, 'Use this value')))));
  },
};

$('nodeForm').addEventListener('submit', (e) => { e.preventDefault(); config.save(); });
$('toggleState').addEventListener('click', () => config.toggleState());
$('formatValue').addEventListener('click', () => {
  const value = config.value();
  if (value !== null) { $('nodeValue').value = JSON.stringify(value, null, 2); fill($('nodeResult')); }
});
$('newNode').addEventListener('click', () => config.startNew());
$('reloadTree').addEventListener('click', () => config.loadTree());
views.config = config;

// ---------------------------------------------------------------- profiling view

const profiles = {
  instance: null, // "service/node"

  base() { return `/admin/v1/cluster/${this.instance}/profiles`; },

  async show(instance) {
    fill($('profileError'));
    try {
      const report = await api('GET', '/admin/v1/cluster');
      const all = report.cells.flatMap((c) => c.services.flatMap((s) => s.instances));
      const ids = all.map((i) => `${i.service}/${i.node}`);
      const previous = this.instance;
      this.instance = ids.includes(instance) ? instance : ids.includes(this.instance) ? this.instance : ids[0] || null;
      if (this.instance !== previous) fill($('profileDetail'));
      fill($('profileInstance'), all.map((i) => el('option', { value: `${i.service}/${i.node}`,
        selected: `${i.service}/${i.node}` === this.instance }, `${i.service}/${i.node} (${i.cell}, ${i.status})`)));
    } catch (e) {
      if (e.status !== 401) fill($('profileError'), problemBox(e));
      return;
    }
    await this.loadSnapshots();
  },

  async loadSnapshots() {
    fill($('snapshots').tBodies[0]);
    $('snapshots').hidden = true;
    $('profileSchedule').textContent = '';
    if (!this.instance) { $('profileSchedule').textContent = 'no instance registered'; return; }
    let report;
    try {
      report = await api('GET', this.base());
    } catch (e) {
      if (e.status !== 401) fill($('profileError'), problemBox(e));
      return;
    }
    $('snapshots').hidden = false;
    const every = report.interval && report.interval !== 'PT0S' ? `every ${isoDuration(report.interval)} for ${isoDuration(report.duration)}` : 'on demand only';
    $('profileSchedule').textContent = `schedule: ${every}` + (report.recording ? ` · recording ${report.recording.id} now` : '');
    fill($('snapshots').tBodies[0], report.snapshots.map((s) => el('tr', { dataset: { snapshot: s.id } },
      el('td', {}, el('input', { type: 'checkbox', value: s.id, 'aria-label': 'select for diff', onchange: () => this.selectionChanged() })),
      el('td', {}, el('code', {}, s.id)), el('td', {}, s.trigger), el('td', {}, fmt.time(s.startedAt)),
      el('td', {}, fmt.seconds(s.durationMillis / 1000)), el('td', {}, fmt.bytes(s.bytes)),
      el('td', { class: 'actions' },
        el('button', { type: 'button', class: 'summary', onclick: () => this.summary(s.id) }, 'Summary'),
        el('button', { type: 'button', class: 'download', onclick: () => this.download(s.id) }, 'Download .jfr')))));
    if (!report.snapshots.length) {
      $('snapshots').tBodies[0].append(el('tr', {}, el('td', { colspan: '7', class: 'muted' }, 'No snapshot yet: capture one.')));
    }
    this.selectionChanged();
  },

  selected() { return [...document.querySelectorAll('#snapshots input:checked')].map((c) => c.value).sort(); },

  selectionChanged() { $('diffSelected').disabled = this.selected().length !== 2; },

  async capture() {
    const seconds = Number($('captureSeconds').value);
    const button = $('capture');
    button.disabled = true;
    button.textContent = `Recording ${seconds} s…`;
    fill($('profileError'));
    try {
      const snapshot = await api('POST', this.base(), { durationSeconds: seconds });
      await this.loadSnapshots();
      await this.summary(snapshot.id);
    } catch (e) {
      if (e.status !== 401) fill($('profileError'), problemBox(e));
    } finally {
      button.disabled = false;
      button.textContent = 'Capture now';
    }
  },

  async summary(id) {
    try {
      renderSummary(await api('GET', `${this.base()}/${id}/summary`));
    } catch (e) {
      if (e.status !== 401) fill($('profileDetail'), problemBox(e));
    }
  },

  async diff() {
    const [from, to] = this.selected(); // ids start with their UTC start time: the older one is first
    try {
      renderDiff(await api('GET', `${this.base()}/diff?from=${from}&to=${to}`));
    } catch (e) {
      if (e.status !== 401) fill($('profileDetail'), problemBox(e));
    }
  },

  /** Fetched with the token (a plain link could not send it), then saved from memory. */
  async download(id) {
    const response = await fetch(`${this.base()}/${id}`, { headers: { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) } });
    if (!response.ok) {
      let problem = {};
      try { problem = await response.json(); } catch (e) { problem = { detail: `HTTP ${response.status}` }; }
      fill($('profileError'), problemBox({ status: response.status, problem }));
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { href: url, download: `${this.instance.replace('/', '-')}-${id}.jfr` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  },
};

function isoDuration(iso) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso || '');
  return m ? fmt.seconds((+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + (+m[3] || 0)) : iso;
}

function shareTable(title, rows, nameKey, valueLabel, valueKey, format) {
  return [el('h4', {}, title), rows.length ? el('table', { class: 'grid share' },
    el('thead', {}, el('tr', {}, el('th', {}, nameKey === 'method' ? 'method' : 'name'), el('th', { class: 'n' }, valueLabel), el('th', { class: 'n' }, 'share'), el('th', {}))),
    el('tbody', {}, rows.map((r) => el('tr', {},
      el('td', { class: 'name' }, r[nameKey]), el('td', { class: 'n' }, format(r[valueKey])), el('td', { class: 'n' }, fmt.pct(r.percent)),
      el('td', { class: 'bar' }, bar(r.percent))))))
    : el('p', { class: 'muted' }, 'nothing recorded')];
}

function bar(percent) {
  const fillNode = el('span');
  fillNode.style.width = Math.max(0, Math.min(100, percent || 0)) + '%'; // CSSOM: allowed by the page's CSP
  return el('span', { class: 'meter' }, fillNode);
}

function renderSummary(s) {
  const gc = s.gc || { collectors: [] };
  fill($('profileDetail'), el('section', { class: 'summary', dataset: { snapshot: s.snapshot.id } },
    el('h3', {}, 'Summary of ', el('code', {}, s.snapshot.id)),
    el('dl', { class: 'metrics' },
      ...[['length', fmt.seconds(s.snapshot.durationMillis / 1000)], ['CPU samples', fmt.num(s.executionSamples, 0)],
        ['JVM CPU', fmt.pct(s.cpu && s.cpu.jvmPercent)], ['machine CPU', fmt.pct(s.cpu && s.cpu.machinePercent)],
        ['allocated', fmt.bytes(s.allocatedBytes)], ['threads peak / last', s.threads ? `${s.threads.peak} / ${s.threads.last}` : '–'],
        ['GC collections', fmt.num(gc.collections, 0)], ['GC pause total / max', `${fmt.num(gc.totalPauseMillis)} / ${fmt.num(gc.maxPauseMillis)} ms`],
        ['heap after GC (last)', s.heapAfterGc ? fmt.bytes(s.heapAfterGc.lastBytes) : '–']]
        .map(([k, v]) => el('div', { class: 'metric' }, el('dt', {}, k), el('dd', {}, v)))),
    el('div', { class: 'columns' },
      el('div', { class: 'cpu' }, shareTable('Top CPU methods', s.topCpuMethods || [], 'method', 'samples', 'samples', (n) => fmt.num(n, 0))),
      el('div', { class: 'alloc' }, shareTable('Top allocation sites', s.topAllocationSites || [], 'name', 'bytes', 'bytes', fmt.bytes))),
    shareTable('Top allocated classes', s.topAllocatedClasses || [], 'name', 'bytes', 'bytes', fmt.bytes),
    el('h4', {}, 'GC pauses by collector'),
    el('table', { class: 'grid gc' },
      el('thead', {}, el('tr', {}, el('th', {}, 'collector'), el('th', { class: 'n' }, 'collections'), el('th', { class: 'n' }, 'total pause ms'), el('th', { class: 'n' }, 'max pause ms'))),
      el('tbody', {}, (gc.collectors || []).map((c) => el('tr', {}, el('td', {}, c.name), el('td', { class: 'n' }, fmt.num(c.collections, 0)),
        el('td', { class: 'n' }, fmt.num(c.totalPauseMillis)), el('td', { class: 'n' }, fmt.num(c.maxPauseMillis))))))));
}

function changeTable(title, rows) {
  return [el('h4', {}, title), rows.length ? el('table', { class: 'grid change' },
    el('thead', {}, el('tr', {}, el('th', {}, 'name'), el('th', { class: 'n' }, 'from'), el('th', { class: 'n' }, 'to'), el('th', { class: 'n' }, 'change'))),
    el('tbody', {}, rows.map((r) => el('tr', {}, el('td', { class: 'name' }, r.name), el('td', { class: 'n' }, fmt.pct(r.fromPercent)),
      el('td', { class: 'n' }, fmt.pct(r.toPercent)),
      el('td', { class: 'n ' + (r.delta > 0 ? 'more' : r.delta < 0 ? 'less' : '') }, fmt.signed(r.delta, ' pt'))))))
    : el('p', { class: 'muted' }, 'no change')];
}

function renderDiff(d) {
  const fact = (label, value, delta) => el('div', { class: 'metric' }, el('dt', {}, label),
    el('dd', { class: delta > 0 ? 'more' : delta < 0 ? 'less' : '' }, value));
  fill($('profileDetail'), el('section', { class: 'diff', dataset: { from: d.from.id, to: d.to.id } },
    el('h3', {}, 'From ', el('code', {}, d.from.id), ' to ', el('code', {}, d.to.id)),
    el('dl', { class: 'metrics' },
      fact('allocation rate', fmt.signed(d.allocationRateDelta / 1024 / 1024, ' MB/s'), d.allocationRateDelta),
      fact('GC pause per minute', fmt.signed(d.gcPauseMillisDelta, ' ms'), d.gcPauseMillisDelta),
      fact('longest GC pause', fmt.signed(d.maxPauseMillisDelta, ' ms'), d.maxPauseMillisDelta),
      fact('heap after GC', (d.heapAfterGcDelta > 0 ? '+' : '') + fmt.bytes(d.heapAfterGcDelta), d.heapAfterGcDelta),
      fact('JVM CPU', fmt.signed(d.cpuLoadDelta, ' pt'), d.cpuLoadDelta)),
    el('p', { class: 'muted' }, 'A heap after GC that grows from snapshot to snapshot is the sign of a leak; shares are compared, so snapshots of different lengths compare fairly.'),
    el('div', { class: 'columns' },
      el('div', {}, changeTable('CPU methods', d.cpu || [])),
      el('div', {}, changeTable('Allocation sites', d.allocationSites || []))),
    changeTable('Allocated classes', d.allocatedClasses || [])));
}

$('profileInstance').addEventListener('change', (e) => { location.hash = '#profiles/' + e.target.value; });
$('capture').addEventListener('click', () => profiles.capture());
$('diffSelected').addEventListener('click', () => profiles.diff());
views.profiles = profiles;

route();
