// Draws channelz channels into the page. Every value from the server goes in through
// textContent or setAttribute, never as markup. Elements are kept per channel name and
// subchannel id and updated in place, so a refresh does not rebuild the page under the reader
// (or under a test holding an element).

const TRACE_LINES = 12;
const parts = new WeakMap();
const numbers = new Intl.NumberFormat();

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function setText(node, text) {
  const value = text == null ? '' : String(text);
  if (node.textContent !== value) node.textContent = value;
}

function setAttr(node, name, value) {
  if (value == null) {
    node.removeAttribute(name);
  } else if (node.getAttribute(name) !== String(value)) {
    node.setAttribute(name, String(value));
  }
}

export function count(value) {
  return typeof value === 'number' ? numbers.format(value) : '–';
}

export function rate(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  return value < 10 ? value.toFixed(1) : numbers.format(Math.round(value));
}

export function clock(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso ?? '');
  const pad = (n, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Puts `nodes` into `container` in this order and removes its other children. */
function placeInOrder(container, nodes) {
  nodes.forEach((node, index) => {
    if (container.children[index] !== node) container.insertBefore(node, container.children[index] || null);
  });
  while (container.children.length > nodes.length) container.lastElementChild.remove();
}

function stat(name, label) {
  const box = el('div', 'stat');
  box.dataset.stat = name;
  const value = el('span', 'stat-value', '–');
  box.append(value, el('span', 'stat-label', label));
  return { box, value };
}

function setStat(valueNode, raw, text) {
  setAttr(valueNode, 'data-value', typeof raw === 'number' ? raw : null);
  setText(valueNode, text);
}

function createChannel() {
  const section = el('section', 'channel');
  const head = el('div', 'channel-head');
  const name = el('h2', 'channel-name');
  const badge = el('span', 'badge');
  const policy = el('span', 'policy');
  const id = el('span', 'channel-id');
  const target = el('code', 'target');
  head.append(name, badge, policy, id, target);

  const stats = el('div', 'stats');
  const started = stat('started', 'started');
  const succeeded = stat('succeeded', 'succeeded');
  const failed = stat('failed', 'failed');
  const perSecond = stat('rate', 'calls/s');
  const connections = stat('connections', 'connections ok / failed / dropped');
  const attempts = stat('attempts', 'retries / transparent / hedges / throttled');
  const ejections = stat('ejections', 'ejected now / ejections / unenforced');
  failed.box.classList.add('stat-failed');
  stats.append(started.box, succeeded.box, failed.box, perSecond.box, connections.box, attempts.box, ejections.box);

  const subPanel = el('div', 'panel');
  const subTitle = el('h3', null, 'Subchannels');
  const table = el('table', 'subchannels');
  const headRow = el('tr');
  for (const title of ['ID', 'Address', 'State', 'Started', 'Succeeded', 'Failed', 'Calls/s', 'Connections', 'Sockets']) {
    headRow.append(el('th', null, title));
  }
  const thead = el('thead');
  thead.append(headRow);
  const tbody = el('tbody');
  table.append(thead, tbody);
  const noSubchannels = el('p', 'empty', 'No subchannels: the channel is idle or has no addresses yet.');
  subPanel.append(subTitle, table, noSubchannels);

  const tracePanel = el('div', 'panel');
  const trace = el('ol', 'trace');
  tracePanel.append(el('h3', null, 'Recent trace · channel and subchannels'), trace);

  section.append(head, stats, subPanel, tracePanel);
  parts.set(section, {
    name, badge, policy, id, target, started, succeeded, failed, perSecond, connections, attempts, ejections,
    table, tbody, noSubchannels, trace, rows: new Map(), traceKey: null,
  });
  return section;
}

function connectionsText(connections) {
  if (!connections || typeof connections !== 'object') return '–';
  return `${count(connections.attemptsSucceeded)} / ${count(connections.attemptsFailed)} / ${count(connections.disconnections)}`;
}

function attemptsText(attempts) {
  if (!attempts || typeof attempts !== 'object') return '–';
  return `${count(attempts.retries)} / ${count(attempts.transparentRetries)} / ${count(attempts.hedges)}`
    + ` / ${count(attempts.throttled)}`;
}

/** Outlier detection (gRFC A50): subchannels ejected now, ejections enforced, outliers left in service. */
function ejectionsText(outlier) {
  if (!outlier || typeof outlier !== 'object') return '–';
  const sum = (values) => Object.values(values ?? {}).reduce((a, b) => a + (typeof b === 'number' ? b : sum(b)), 0);
  const ejectedNow = Array.isArray(outlier.ejectedSubchannels) ? outlier.ejectedSubchannels.length : 0;
  return `${count(ejectedNow)} / ${count(sum(outlier.ejectionsEnforced))} / ${count(sum(outlier.ejectionsUnenforced))}`;
}

function updateChannel(section, channel, name, rates, now) {
  const p = parts.get(section);
  const state = String(channel.state ?? 'UNKNOWN');
  setAttr(section, 'data-channel', name);
  setAttr(section, 'data-state', state);
  setText(p.name, name);
  setText(p.badge, state);
  setAttr(p.badge, 'data-state', state);
  setText(p.policy, channel.lbPolicy ?? '');
  setText(p.id, channel.id != null ? `#${channel.id}` : '');
  setText(p.target, channel.target ?? '');

  const calls = channel.calls ?? {};
  const perSecond = rates.sample(`c:${name}`, calls.started, now);
  setStat(p.started.value, calls.started, count(calls.started));
  setStat(p.succeeded.value, calls.succeeded, count(calls.succeeded));
  setStat(p.failed.value, calls.failed, count(calls.failed));
  p.failed.box.classList.toggle('nonzero', calls.failed > 0);
  setStat(p.perSecond.value, perSecond, rate(perSecond));
  setStat(p.connections.value, null, connectionsText(channel.connections));
  setStat(p.attempts.value, null, attemptsText(channel.attempts));
  setStat(p.ejections.value, null, ejectionsText(channel.outlierDetection));
  const ejected = new Set((channel.outlierDetection?.ejectedSubchannels ?? []).map(String));
  setAttr(p.started.box, 'title', calls.lastStarted ? `last call started ${calls.lastStarted}` : null);

  const subchannels = Array.isArray(channel.subchannels) ? channel.subchannels : [];
  const rows = subchannels.map((subchannel, index) => {
    const key = String(subchannel.id ?? `at-${index}`);
    let row = p.rows.get(key);
    if (!row) {
      row = createSubchannelRow();
      p.rows.set(key, row);
    }
    updateSubchannel(row, subchannel, name, key, rates, now);
    markEjected(row, ejected.has(String(subchannel.id)));
    return row;
  });
  const wanted = new Set(rows);
  for (const [key, row] of p.rows) {
    if (!wanted.has(row)) p.rows.delete(key);
  }
  placeInOrder(p.tbody, rows);
  p.table.hidden = rows.length === 0;
  p.noSubchannels.hidden = rows.length > 0;

  updateTrace(p, channel, subchannels);
}

function createSubchannelRow() {
  const row = el('tr', 'subchannel');
  const cells = {};
  for (const name of ['id', 'address', 'state', 'started', 'succeeded', 'failed', 'rate', 'connections', 'sockets']) {
    cells[name] = el('td', `col-${name}`);
    if (['started', 'succeeded', 'failed', 'rate'].includes(name)) cells[name].dataset.stat = name;
    row.append(cells[name]);
  }
  cells.addressText = el('code');
  cells.more = el('span', 'more');
  cells.address.append(cells.addressText, cells.more);
  cells.badge = el('span', 'badge');
  cells.health = el('span', 'health');
  cells.ejected = el('span', 'badge ejected-mark', 'EJECTED');
  cells.ejected.title = 'Ejected by outlier detection: connected, but gets no calls until the ejection time is up';
  cells.ejected.hidden = true;
  cells.state.append(cells.badge, cells.ejected, cells.health);
  parts.set(row, { cells, socketsKey: null });
  return row;
}

function updateSubchannel(row, subchannel, channelName, key, rates, now) {
  const { cells } = parts.get(row);
  const addresses = Array.isArray(subchannel.addresses) ? subchannel.addresses.map(String) : [];
  const state = String(subchannel.state ?? 'UNKNOWN');
  setAttr(row, 'data-channel', channelName);
  setAttr(row, 'data-subchannel-id', subchannel.id ?? key);
  setAttr(row, 'data-address', addresses[0] ?? '');
  setAttr(row, 'data-state', state);
  setText(cells.id, subchannel.id ?? '');
  setText(cells.addressText, addresses[0] ?? '–');
  setText(cells.more, addresses.length > 1 ? ` +${addresses.length - 1}` : '');
  setAttr(cells.address, 'title', addresses.length > 1 ? addresses.join('\n') : null);
  setText(cells.badge, state);
  setAttr(cells.badge, 'data-state', state);
  updateHealth(row, cells.health, subchannel.health);

  const calls = subchannel.calls ?? {};
  const perSecond = rates.sample(`s:${channelName}:${key}`, calls.started, now);
  for (const name of ['started', 'succeeded', 'failed']) {
    setAttr(cells[name], 'data-value', typeof calls[name] === 'number' ? calls[name] : null);
    setText(cells[name], count(calls[name]));
  }
  cells.failed.classList.toggle('nonzero', calls.failed > 0);
  setAttr(cells.rate, 'data-value', typeof perSecond === 'number' ? perSecond : null);
  setText(cells.rate, rate(perSecond));
  setText(cells.connections, connectionsText(subchannel.connections));
  updateSockets(parts.get(row), cells.sockets, Array.isArray(subchannel.sockets) ? subchannel.sockets : []);
}

// Client-side health checking (gRFC A17): shown only for a checked subchannel, with why in the tooltip.
function updateHealth(row, cell, health) {
  const checked = health && typeof health === 'object' && health.state && health.state !== 'NOT_CHECKED';
  const state = checked ? String(health.state) : null;
  setAttr(row, 'data-health', state);
  setAttr(cell, 'data-health', state);
  setText(cell, state ? `health ${state}` : '');
  setAttr(cell, 'title', checked && health.description ? String(health.description) : null);
}

function markEjected(row, ejected) {
  const { cells } = parts.get(row);
  setAttr(row, 'data-ejected', ejected ? 'true' : null);
  cells.ejected.hidden = !ejected;
}

function tlsText(socket) {
  if (socket.tls && typeof socket.tls === 'object') {
    const values = Object.values(socket.tls).filter(v => typeof v === 'string' || typeof v === 'number');
    return values.length ? `TLS ${values.join(' · ')}` : 'TLS';
  }
  if (typeof socket.security === 'string' && socket.security) return socket.security;
  return null;
}

function socketLines(socket) {
  const streams = socket.streams ?? {};
  const messages = socket.messages ?? {};
  return {
    route: `${socket.local ?? '?'} → ${socket.remote ?? '?'}`,
    counts: `streams ${count(streams.started)} (${count(streams.succeeded)} ok, ${count(streams.failed)} failed)`
      + ` · msgs ${count(messages.sent)} sent, ${count(messages.received)} received`,
    tls: tlsText(socket),
  };
}

function updateSockets(rowParts, cell, sockets) {
  const lines = sockets.map(socketLines);
  const key = JSON.stringify(lines);
  if (rowParts.socketsKey === key) return;
  rowParts.socketsKey = key;
  const nodes = lines.map(line => {
    const box = el('div', 'socket');
    box.append(el('div', 'socket-route', line.route), el('div', 'socket-counts', line.counts));
    if (line.tls) box.append(el('div', 'socket-tls', line.tls));
    return box;
  });
  if (nodes.length === 0) nodes.push(el('span', 'muted', 'no connection'));
  cell.replaceChildren(...nodes);
}

/** The channel's events and its subchannels', newest first, each labelled with where it happened. */
function recentEvents(channel, subchannels) {
  const events = [];
  const add = (trace, source, where) => {
    if (!Array.isArray(trace)) return;
    for (const event of trace) events.push({ event, source, where, at: Date.parse(event.time) || 0 });
  };
  add(channel.trace, 'channel', null);
  for (const subchannel of subchannels) {
    const addresses = Array.isArray(subchannel.addresses) ? subchannel.addresses.join(', ') : '';
    add(subchannel.trace, `sub ${subchannel.id ?? '?'}`, `subchannel ${subchannel.id ?? '?'} ${addresses}`.trim());
  }
  // Stable, so events of one source keep channelz's order within the same millisecond.
  events.forEach((entry, index) => { entry.index = index; });
  events.sort((a, b) => (b.at - a.at) || (b.index - a.index));
  return events.slice(0, TRACE_LINES);
}

function updateTrace(p, channel, subchannels) {
  const recent = recentEvents(channel, subchannels);
  const key = JSON.stringify(recent.map(({ event, source }) => [event.time, event.severity, event.description, source]));
  if (p.traceKey === key) return;
  p.traceKey = key;
  const items = recent.map(({ event, source, where }) => {
    const severity = String(event.severity ?? 'INFO');
    const item = el('li', 'trace-line');
    item.dataset.severity = severity;
    const time = el('time', null, clock(event.time));
    if (event.time) time.setAttribute('datetime', String(event.time));
    const origin = el('span', 'origin', source);
    if (where) origin.title = where;
    item.append(time, el('span', 'severity', severity), origin, el('span', 'description', event.description ?? ''));
    return item;
  });
  if (items.length === 0) items.push(el('li', 'trace-line muted', 'No events yet.'));
  p.trace.replaceChildren(...items);
}

/** Draws `channels` (channelz's list, in its order) into `container`. */
export function renderChannels(container, channels, rates, now) {
  const existing = new Map();
  for (const child of container.children) {
    if (child.classList.contains('channel')) existing.set(child.dataset.channel, child);
  }
  const sections = channels.map((channel, index) => {
    const name = String(channel.name ?? channel.id ?? index);
    const section = existing.get(name) ?? createChannel();
    updateChannel(section, channel, name, rates, now);
    return section;
  });
  if (sections.length === 0) {
    const empty = el('p', 'empty', 'No channels: configure some under lbchannel.channels.');
    container.replaceChildren(empty);
    return;
  }
  placeInOrder(container, sections);
}
