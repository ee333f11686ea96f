// Calls per second, computed in the browser from successive channelz counters: channelz gives
// totals only, so a rate is the change of a counter over a few seconds of samples.

const WINDOW_MS = 3000;

/** Per-key counter history; one instance lives as long as the page. */
export class Rates {
  constructor() {
    this.history = new Map();
    this.seen = new Set();
  }

  /**
   * Records `count` for `key` at `now` (ms) and returns the rate per second over the last
   * few seconds, or null until there are two samples. A counter that went down (the
   * application restarted) starts the history again.
   */
  sample(key, count, now) {
    this.seen.add(key);
    if (typeof count !== 'number' || !Number.isFinite(count)) {
      this.history.delete(key);
      return null;
    }
    let samples = this.history.get(key);
    if (!samples || (samples.length > 0 && count < samples[samples.length - 1].count)) {
      samples = [];
      this.history.set(key, samples);
    }
    samples.push({ at: now, count });
    while (samples.length > 2 && now - samples[1].at >= WINDOW_MS) {
      samples.shift();
    }
    if (samples.length < 2) {
      return null;
    }
    const first = samples[0];
    const seconds = (now - first.at) / 1000;
    return seconds > 0 ? (count - first.count) / seconds : null;
  }

  /** Forgets the keys not sampled since the last call, so gone subchannels free their history. */
  sweep() {
    for (const key of this.history.keys()) {
      if (!this.seen.has(key)) {
        this.history.delete(key);
      }
    }
    this.seen.clear();
  }
}
