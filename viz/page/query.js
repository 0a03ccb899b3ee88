// Questions the page asks of the model while you explore: the causal cone of an event and what
// every replica showed at an instant. Plain browser JavaScript, because the page inlines this
// file's text (viz/render/html.ts strips the `export`s) and the unit tests import the very same
// file — so the browser runs exactly the code the tests ran, byte for byte in every runtime.
// Types: query.d.ts.

/** Bits in a cone: 1 = in the causal past, 2 = in the causal future (3 = the event itself). */
export const PAST = 1,
  FUTURE = 2;

/**
 * Happened-before from lane order and message edges (a send → each of its deliveries, copies
 * included): `a` is in the past of `b` iff a path of such edges leads from a to b.
 * O(events) per call: fine at 100,000 events, and no index to keep in memory.
 */
export function causalCone(ev, i) {
  const n = ev.lane.length;
  const prev = new Int32Array(n).fill(-1),
    next = new Int32Array(n).fill(-1);
  const firstOut = new Int32Array(n).fill(-1),
    nextOut = new Int32Array(n).fill(-1);
  const lastOnLane = new Map();
  for (let j = 0; j < n; j++) {
    const p = lastOnLane.get(ev.lane[j]);
    if (p !== undefined) {
      prev[j] = p;
      next[p] = j;
    }
    lastOnLane.set(ev.lane[j], j);
    const s = ev.src[j];
    if (s >= 0) {
      nextOut[j] = firstOut[s];
      firstOut[s] = j;
    }
  }
  const mark = new Uint8Array(n);
  mark[i] = 3;
  const stack = [i];
  while (stack.length) {
    const j = stack.pop();
    const p = prev[j],
      s = ev.src[j];
    if (p >= 0 && !(mark[p] & 1)) {
      mark[p] |= 1;
      stack.push(p);
    }
    if (s >= 0 && !(mark[s] & 1)) {
      mark[s] |= 1;
      stack.push(s);
    }
  }
  stack.push(i);
  while (stack.length) {
    const j = stack.pop();
    const q = next[j];
    if (q >= 0 && !(mark[q] & 2)) {
      mark[q] |= 2;
      stack.push(q);
    }
    for (let d = firstOut[j]; d >= 0; d = nextOut[d])
      if (!(mark[d] & 2)) {
        mark[d] |= 2;
        stack.push(d);
      }
  }
  return mark;
}

/** Event indices per lane, in trace (= time) order. */
export function laneLists(ev, lanes) {
  const counts = new Array(lanes).fill(0);
  for (const l of ev.lane) counts[l]++;
  const lists = counts.map((c) => new Int32Array(c));
  const fill = new Array(lanes).fill(0);
  for (let j = 0; j < ev.lane.length; j++) lists[ev.lane[j]][fill[ev.lane[j]]++] = j;
  return lists;
}

/** The last event of `list` at or before time `t` (-1: none yet). Binary search. */
export function lastAt(list, times, t) {
  let lo = 0,
    hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[list[mid]] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? -1 : list[lo - 1];
}

/** Index of the first of the sorted `times` at or after `t` (culling to the visible window). */
export function firstFrom(times, t) {
  let lo = 0,
    hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * What each replica showed at time `t`: per lane the index of its last event then (-1: none),
 * from which the page reads value and version vector.
 */
export function stateAt(lists, times, t) {
  return lists.map((list) => lastAt(list, times, t));
}

/**
 * Which of `count` labels fit on their lanes without overlapping: taken in order of `rank`
 * (lower first, then index), each kept only if it clears every label already kept on its lane
 * by 4 px. `left(j)` and `width(j)` are in pixels at the current scale. Returns the kept
 * indices in ascending order. Shared by the static SVG (estimated widths) and the page
 * (widths the canvas measures), so both keep the same labels at the same scale.
 */
export function placeLabels(count, lane, rank, left, width) {
  const order = Array.from({ length: count }, (_, j) => j).sort((a, b) => rank(a) - rank(b) || a - b);
  const taken = new Map();
  const kept = [];
  for (const j of order) {
    const a = left(j),
      b = a + width(j),
      l = lane(j);
    const row = taken.get(l) || [];
    if (row.some(([p, q]) => a < q + 4 && p < b + 4)) continue;
    row.push([a, b]);
    taken.set(l, row);
    kept.push(j);
  }
  return kept.sort((p, q) => p - q);
}

/**
 * A lane's clock as its gutter label shows it at time `t`: the label of the last clock change
 * (a jump, a new skew) at or before `t`, with that change's time (`since`), else the lane's
 * initial label (`since` null). `lane.clockChanges` is in time order (viz/layout/lanes.ts).
 */
export function clockAt(lane, t) {
  let label = lane.label,
    since = null;
  for (const c of lane.clockChanges || []) {
    if (c.t > t) break;
    label = c.label;
    since = c.t;
  }
  return { label, since };
}

/**
 * The text of entry `i` of a text table (viz/layout/text-table.ts): its keyframe's text with
 * each splice on the way applied in turn — at most KEYFRAME_DEPTH of them.
 */
export function textOf(tab, i) {
  const chain = [];
  let j = i;
  while (tab.p[j] >= 0) {
    chain.push(j);
    j = tab.prev[j];
  }
  // `mid` is an array (the model) or a function of the entry (the page cuts each from one text).
  const mid = typeof tab.mid === "function" ? tab.mid : (e) => tab.mid[e];
  let text = mid(j);
  for (let k = chain.length - 1; k >= 0; k--) {
    const e = chain[k];
    text = text.slice(0, tab.p[e]) + mid(e) + text.slice(text.length - tab.s[e]);
  }
  return text;
}
