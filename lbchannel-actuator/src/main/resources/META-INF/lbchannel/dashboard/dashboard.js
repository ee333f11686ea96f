// The dashboard's loop: read channelz, draw it, wait, again. The page's <body> says where
// channelz is and how often to read it; after each good read it carries data-updated (ISO
// time), and data-error while reads fail.

import { Rates } from './rates.js';
import { clock, count, rate, renderChannels } from './channel-view.js';

const body = document.body;
const channelzUrl = body.dataset.channelz;
const intervalMs = Math.max(100, Number(body.dataset.refreshMs) || 1000);
const timeoutMs = Math.max(5000, 3 * intervalMs);
const rates = new Rates();
const byId = id => document.getElementById(id);

async function readChannelz() {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const response = await fetch(channelzUrl, {
      headers: { Accept: 'application/json' },
      cache: 'no-store',
      credentials: 'same-origin',
      redirect: 'error',
      signal: abort.signal,
    });
    if (!response.ok) {
      const hint = response.status === 401 || response.status === 403 ? ' (not authorised to read channelz)' : '';
      throw new Error(`channelz answered HTTP ${response.status}${hint}`);
    }
    const json = await response.json();
    if (!json || !Array.isArray(json.channels)) {
      throw new Error('channelz answered without a channels list');
    }
    return json.channels;
  } catch (error) {
    throw abort.signal.aborted ? new Error(`channelz did not answer within ${timeoutMs / 1000} s`) : error;
  } finally {
    clearTimeout(timer);
  }
}

function showTotals(channels, now) {
  let subchannels = 0;
  let ready = 0;
  const calls = { started: 0, succeeded: 0, failed: 0 };
  for (const channel of channels) {
    const list = Array.isArray(channel.subchannels) ? channel.subchannels : [];
    subchannels += list.length;
    ready += list.filter(subchannel => subchannel.state === 'READY').length;
    for (const name of Object.keys(calls)) {
      calls[name] += Number(channel.calls?.[name]) || 0;
    }
  }
  byId('total-channels').textContent = count(channels.length);
  byId('total-ready').textContent = `${count(ready)} / ${count(subchannels)}`;
  byId('total-started').textContent = count(calls.started);
  byId('total-succeeded').textContent = count(calls.succeeded);
  byId('total-failed').textContent = count(calls.failed);
  byId('totals').classList.toggle('has-failures', calls.failed > 0);
  byId('total-rate').textContent = rate(rates.sample('total', calls.started, now));
}

function showStatus(text, failing) {
  const status = byId('status');
  status.textContent = text;
  status.classList.toggle('failing', failing);
}

async function refresh() {
  try {
    const channels = await readChannelz();
    const now = performance.now();
    renderChannels(byId('channels'), channels, rates, now);
    showTotals(channels, now);
    rates.sweep();
    const updated = new Date();
    body.removeAttribute('data-error');
    body.dataset.updated = updated.toISOString();
    showStatus(`Updated ${clock(updated.toISOString()).slice(0, 8)} · every ${intervalMs / 1000} s`, false);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    body.dataset.error = message;
    showStatus(`${message}; retrying every ${intervalMs / 1000} s`, true);
  }
}

async function loop() {
  await refresh();
  // A hidden tab stops reading until it is shown again; channelz snapshots are not free.
  if (document.hidden) {
    document.addEventListener('visibilitychange', () => loop(), { once: true });
  } else {
    setTimeout(loop, intervalMs);
  }
}

byId('source').textContent = channelzUrl;
loop();
