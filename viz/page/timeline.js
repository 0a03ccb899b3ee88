// The interactive space-time diagram: a thin d3 layer over the layout model (viz/layout/).
// Marks and arrows go on one <canvas> (100,000 events stay fluid: only the visible time window
// is drawn, in batches, with coarser marks when crowded); the axis is d3-axis SVG on top; zoom
// and pan are d3-zoom on the time axis only. Inlined into timeline.html after d3, the data and
// query.js (causalCone, laneLists, lastAt, firstFrom, stateAt, clockAt).
// Type-checked as browser code (tsconfig.page.json; the page's globals: globals.d.ts).
(async function () {
  "use strict";
  /**
   * The page's element with this id, of this kind. The page is generated with all of them
   * (viz/render/html.ts): a missing one is a broken page, named here rather than as a null later.
   * @template {Element} T
   * @param {string} id
   * @param {{ new (): T; prototype: T }} kind
   * @returns {T}
   */
  function byId(id, kind) {
    const el = document.getElementById(id);
    if (!(el instanceof kind)) throw new Error(`timeline page: no ${kind.name} with id "${id}"`);
    return el;
  }
  /** @param {HTMLCanvasElement} c */
  function context2d(c) {
    const g = c.getContext("2d");
    if (g === null) throw new Error("timeline page: this browser gives no 2D canvas context");
    return g;
  }

  const D = await unpackPageData(byId("data", HTMLScriptElement).text);
  performance.mark("timeline: data unpacked");
  const M = D.model,
    S = D.style,
    K = D.K,
    A = D.A;
  const ev = M.ev,
    ar = M.arrows,
    strs = M.strs,
    nl = M.lanes.length,
    n = ev.t.length;
  const lists = laneLists(ev, nl);
  // Version vectors and values are decoded when shown (a long run's would not fit whole).
  const vvText = (i) => textOf(M.texts.vv, ev.vv[i]);
  // A long run's dotted version vector can run to thousands of gaps: the tooltip and table show its start.
  const VV_SHOWN = 300;
  const clipVV = (s) => (s.length <= VV_SHOWN ? s : `${s.slice(0, VV_SHOWN)}… (${(s.length - VV_SHOWN).toLocaleString("en-US")} more characters)`);
  const valText = (i) => (ev.val[i] < 0 ? null : textOf(M.texts.val, ev.val[i]));
  const span = Math.max(1, M.t1 - M.t0);
  const tEnd = M.t1 + Math.ceil(span * D.pad);
  const laneH = nl <= 8 ? 64 : Math.max(28, Math.floor(560 / nl));
  const AXIS = 28;

  // Arrows in order of their send time, and the longest flight, to cull arrows to the view.
  const aOrder = D.aOrder;
  const aStart = Float64Array.from(aOrder, (a) => ev.t[ar.s[a]]);
  let maxFlight = 0;
  for (let a = 0; a < ar.s.length; a++) maxFlight = Math.max(maxFlight, ar.t[a] - ev.t[ar.s[a]]);

  const plot = byId("plot", HTMLElement);
  const canvas = byId("canvas", HTMLCanvasElement);
  const ctx = context2d(canvas);
  const overlay = d3.select("#overlay");
  /** @type {import("d3").Selection<SVGGElement, unknown, HTMLElement, any>} */
  const axisLayer = overlay.select("g.axis");
  const tip = byId("tip", HTMLElement);
  const slider = byId("time", HTMLInputElement);
  let W = 0,
    H = AXIS + nl * laneH + 8;
  const x0 = d3.scaleLinear().domain([M.t0, tEnd]);
  let x = x0.copy();
  let sel = -1,
    cone = null,
    cursorT = M.t1,
    showVV = false;
  const drawn = { lanes: 0, arrows: 0, marks: 0, lod: "full" };
  const yOf = (l) => AXIS + l * laneH + laneH / 2;
  // An unsynced loss happens at its crash's instant: drawn just above the crash's ×, not on it.
  const dyOf = (k) => (k === K.lost ? D.lostDy : 0);
  const laneColor = (l) => S.lanes[l % S.lanes.length];

  // Lane labels in the gutter (HTML, so they stay crisp and selectable). The clock part follows
  // the slider: a clock stepped during the run (a jump, a new skew) reads as it was at that instant.
  const gutter = d3
    .select("#gutter")
    .style("padding-top", AXIS + "px")
    .selectAll("div")
    .data(M.lanes)
    .join("div")
    .attr("class", "lane-label")
    .style("height", laneH + "px")
    .html((l, i) => `<b style="color:${laneColor(i)}">${esc(l.name)}</b><span class="clock">${esc(l.label)}</span>`);
  function clockLabels(t) {
    gutter.select(".clock").each(function (l) {
      const el = /** @type {HTMLElement} */ (this);
      const c = clockAt(l, t);
      el.textContent = c.since === null ? c.label : `${c.label} (since ${fmtMs(c.since)})`;
      el.title = l.clockChanges ? [`${l.label} at the start`, ...l.clockChanges.map((x) => `${x.label} from ${fmtMs(x.t)}`)].join("; ") : "";
    });
  }

  function esc(s) {
    return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  }
  const fmtMs = (ms) => (Math.abs(ms) < 1000 ? `${+ms.toFixed(2)} ms` : `${+(ms / 1000).toFixed(3)} s`);

  function resize() {
    W = Math.max(300, plot.clientWidth);
    const dpr = window.devicePixelRatio || 1;
    canvas.width = W * dpr;
    canvas.height = H * dpr;
    canvas.style.width = W + "px";
    canvas.style.height = H + "px";
    plot.style.height = H + "px";
    overlay.attr("width", W).attr("height", H);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    x0.range([12, W - 16]);
    x = currentTransform.rescaleX(x0);
    zoom.translateExtent([
      [0, 0],
      [W, H],
    ]);
  }

  // ---- drawing ---------------------------------------------------------------------------
  let hatch = null;
  function hatchPattern() {
    const c = document.createElement("canvas");
    c.width = c.height = 8;
    const g = context2d(c);
    g.fillStyle = S.band.crash;
    g.fillRect(0, 0, 8, 8);
    g.strokeStyle = "#9ca3af";
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(0, 8);
    g.lineTo(8, 0);
    g.moveTo(-2, 2);
    g.lineTo(2, -2);
    g.moveTo(6, 10);
    g.lineTo(10, 6);
    g.stroke();
    return ctx.createPattern(c, "repeat");
  }

  function draw() {
    const started = performance.now();
    const [v0, v1] = x.domain();
    ctx.clearRect(0, 0, W, H);
    hatch = hatch || hatchPattern();
    const bottom = AXIS + nl * laneH;
    for (const b of M.bands) {
      const a = Math.max(0, x(b.from)),
        z = Math.min(W, Math.max(x(b.to), x(b.from) + 1));
      if (z < 0 || a > W) continue;
      if (b.lane < 0) {
        ctx.fillStyle = S.band[b.kind];
        ctx.fillRect(a, AXIS, z - a, bottom - AXIS);
        ctx.fillStyle = S.bad;
        ctx.font = "11px " + S.font;
        ctx.fillText(b.label, a + 4, AXIS + 12, Math.max(20, z - a - 8));
      } else {
        ctx.globalAlpha = 0.85;
        ctx.fillStyle = b.kind === "crash" ? hatch : S.band.pause;
        ctx.fillRect(a, AXIS + b.lane * laneH + 8, z - a, laneH - 16);
        ctx.globalAlpha = 1;
      }
    }
    for (let l = 0; l < nl; l++) {
      ctx.strokeStyle = laneColor(l);
      ctx.globalAlpha = 0.45;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(0, yOf(l));
      ctx.lineTo(W, yOf(l));
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    drawn.lanes = nl;
    drawArrows(v0, v1);
    drawMarks(v0, v1);
    // Where a clock is stepped, the new reading is written on its lane, beside the jump's mark.
    ctx.font = "10.5px " + S.font;
    ctx.textAlign = "left";
    M.lanes.forEach((lane, l) => {
      for (const c of lane.clockChanges || []) {
        const cx = x(c.t);
        if (cx < -200 || cx > W) continue;
        const text = "clock: " + c.label.replace(/^clock /, ""),
          tw = ctx.measureText(text).width;
        ctx.fillStyle = "rgba(255,255,255,.85)";
        ctx.fillRect(cx + 6, yOf(l) + 9, tw + 4, 13);
        ctx.fillStyle = S.muted;
        ctx.fillText(text, cx + 8, yOf(l) + 19);
      }
    });
    const placed = []; // flag labels already drawn: [left, right, row], so none overlaps another
    for (const f of M.flags) {
      const fx = x(f.t);
      if (fx < -2 || fx > W + 2) continue;
      const c = f.kind === "converged" ? S.ok : f.caught ? S.caught : S.bad;
      ctx.strokeStyle = c;
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 3]);
      ctx.beginPath();
      ctx.moveTo(fx, AXIS);
      ctx.lineTo(fx, bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      // An anomaly rings the event where the check first failed, on its node's lane.
      if (f.lane !== undefined) {
        ctx.lineWidth = 2.5;
        ctx.beginPath();
        ctx.arc(fx, yOf(f.lane), 9, 0, 2 * Math.PI);
        ctx.stroke();
      }
      ctx.fillStyle = c;
      ctx.font = "600 11px " + S.font;
      const w = ctx.measureText(f.label).width,
        right = fx + 6 + w > W - 4;
      const l0 = right ? fx - 6 - w : fx + 6;
      let row = 0;
      while (placed.some(([a, b, r]) => r === row && l0 < b + 8 && a < l0 + w + 8)) row++;
      placed.push([l0, l0 + w, row]);
      ctx.fillStyle = "rgba(255,255,255,.8)";
      ctx.fillRect(l0 - 2, bottom - 17 - row * 15, w + 4, 14);
      ctx.fillStyle = c;
      ctx.fillText(f.label, l0, bottom - 6 - row * 15);
    }
    const cx = x(cursorT);
    if (cx >= 0 && cx <= W) {
      ctx.strokeStyle = S.cursor;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(cx, AXIS - 4);
      ctx.lineTo(cx, bottom);
      ctx.stroke();
    }
    axisLayer
      .call(
        d3
          .axisTop(x)
          .ticks(Math.max(2, Math.floor(W / 110)))
          .tickFormat(fmtMs),
      )
      .attr("transform", `translate(0,${AXIS - 6})`);
    drawn.ms = performance.now() - started;
    drawn.frames = (drawn.frames || 0) + 1;
  }

  function arrowEnd(a, xs, ys) {
    let xe = x(ar.t[a]),
      ye = yOf(ar.to[a]);
    if (ar.st[a] === A.dropped) {
      xe = Math.max(xe, xs + 14);
      xe = xs + (xe - xs) * 0.6;
      ye = ys + (ye - ys) * 0.6;
    }
    return [xe, ye];
  }

  // Which side of the cone an arrow lies on: 1 past, 2 future (both ends there), 0 neither.
  function arrowSide(a) {
    const cs = cone[ar.s[a]],
      cd = ar.d[a] < 0 ? 0 : cone[ar.d[a]];
    return cs & cd & 1 ? 1 : cs & cd & 2 ? 2 : 0;
  }

  const MAX_ARROWS = 3000;
  function drawArrows(v0, v1) {
    const lo = firstFrom(aStart, v0 - maxFlight),
      hi = firstFrom(aStart, v1 + 1e-9);
    const buckets = new Map(); // status*3 + side → arrows, each bucket stroked as one path
    let count = 0;
    // Level of detail: past MAX_ARROWS in view, draw an even sample (of the cone's arrows too), faint
    // enough that the shade still reads as message density.
    const stride = Math.max(1, Math.ceil((hi - lo) / MAX_ARROWS));
    for (let k = lo; k < hi; k++) {
      const a = aOrder[k];
      if (ar.t[a] < v0) continue;
      if (stride > 1 && k % stride) continue; // the cone's arrows too: a million of them would stall the frame
      const key = ar.st[a] * 3 + (cone ? arrowSide(a) : 0);
      if (!buckets.has(key)) buckets.set(key, []);
      buckets.get(key).push(a);
      count++;
    }
    drawn.arrows = count;
    const crowded = stride > 1 || count > 1500; // thin, faint, no heads: a sample or a crowd reads as density
    for (const key of Array.from(buckets.keys()).sort((p, q) => (p % 3) - (q % 3) || p - q)) {
      const st = Math.floor(key / 3),
        side = key % 3;
      const colour = side === 1 ? S.past : side === 2 ? S.future : S.arrow[st];
      ctx.beginPath();
      for (const a of buckets.get(key)) {
        const xs = x(ev.t[ar.s[a]]),
          ys = yOf(ev.lane[ar.s[a]]),
          [xe, ye] = arrowEnd(a, xs, ys);
        ctx.moveTo(xs, ys);
        ctx.lineTo(xe, ye);
      }
      // Crowded: the fainter the more there are, so density reads as shade rather than a solid wall.
      ctx.globalAlpha = cone && !side ? 0.12 : crowded ? Math.min(0.35, Math.max(0.06, 1200 / count)) : 1;
      ctx.strokeStyle = colour;
      ctx.lineWidth = crowded ? 0.7 : side ? 2 : 1.3;
      ctx.setLineDash(crowded ? [] : D.dash[st]);
      ctx.stroke();
      ctx.setLineDash([]);
      if (!crowded)
        for (const a of buckets.get(key)) {
          const xs = x(ev.t[ar.s[a]]),
            ys = yOf(ev.lane[ar.s[a]]),
            [xe, ye] = arrowEnd(a, xs, ys);
          arrowHead(a, st, xs, ys, xe, ye, colour);
        }
      ctx.globalAlpha = 1;
    }
  }

  function coneColour(i) {
    return cone[i] === 3 ? S.ink : cone[i] & 1 ? S.past : S.future;
  }

  function arrowHead(a, st, xs, ys, xe, ye, colour) {
    if (st === A.dropped) {
      cross(xe, ye, 4, 2);
    } else {
      const ang = Math.atan2(ye - ys, xe - xs),
        r = 7;
      const bx = xe - Math.cos(ang) * 5,
        by = ye - Math.sin(ang) * 5;
      ctx.fillStyle = colour;
      ctx.beginPath();
      ctx.moveTo(bx, by);
      ctx.lineTo(bx - r * Math.cos(ang - 0.42), by - r * Math.sin(ang - 0.42));
      ctx.lineTo(bx - r * Math.cos(ang + 0.42), by - r * Math.sin(ang + 0.42));
      ctx.fill();
    }
    if (ar.h[a] >= 0) {
      const f = Math.min(1, Math.max(0, (ar.h[a] - ev.t[ar.s[a]]) / Math.max(1, ar.t[a] - ev.t[ar.s[a]])));
      ctx.fillStyle = S.arrow[A.held];
      ctx.fillRect(xs + (xe - xs) * f - 2.5, ys + (ye - ys) * f - 5, 5, 10);
    }
  }

  /** Above this many events in view, marks give way to heat strips (drawHeat). */
  const DETAIL_MARKS = 5000;
  const SHADES = 6;
  // Rare events in time order: drawn as marks even in the heat view.
  const RARE = new Uint8Array(32);
  for (const k of [K.crash, K.restart, K.pause, K.resume, K.jump, K.lost, K.serviceFail]) RARE[k] = 1;
  const rare = [];
  for (let i = 0; i < n; i++) if (RARE[ev.kind[i]]) rare.push(i);
  const ORDER = [K.send, K.receive, K.buffered, K.merge, K.update, K.service, K.serviceOk, K.serviceFail, K.ack, K.crash, K.lost, K.restart, K.pause, K.resume, K.jump];
  function drawMarks(v0, v1) {
    // A mark's radius beyond each edge (a share of the whole span was the whole view when zoomed far in).
    const margin = ((v1 - v0) * 12) / Math.max(1, W);
    const lo = firstFrom(ev.t, v0 - margin),
      hi = firstFrom(ev.t, v1 + margin + 1e-9);
    drawn.marks = hi - lo;
    const crowded = hi - lo > DETAIL_MARKS;
    drawn.lod = crowded ? "heat" : "full";
    if (crowded) {
      drawHeat(lo, hi);
      // The rare events (crashes, restarts, pauses, clock steps, losses, service failures) keep their marks at any zoom.
      for (const i of rare) if (i >= lo && i < hi) mark(i, ev.kind[i]);
      return;
    }
    for (const k of ORDER) for (let i = lo; i < hi; i++) if (ev.kind[i] === k) mark(i, k);
    drawTags(lo, hi);
    if (showVV) {
      ctx.font = "10px " + S.mono;
      ctx.fillStyle = S.ink;
      if (hi - lo <= 400) {
        let lastX = new Array(nl).fill(-1e9);
        for (let i = lo; i < hi; i++) {
          if (ev.kind[i] === K.send) continue;
          const px = x(ev.t[i]),
            l = ev.lane[i];
          if (px - lastX[l] < 8) continue; // one label per spot: the rest are in the tooltip
          const label = vvText(i);
          ctx.fillStyle = "rgba(255,255,255,.85)";
          ctx.fillRect(px - 2, yOf(l) - 22, ctx.measureText(label).width + 4, 12);
          ctx.fillStyle = S.ink;
          ctx.fillText(label, px, yOf(l) - 12);
          lastX[l] = px + ctx.measureText(label).width;
        }
      } else {
        ctx.fillStyle = S.muted;
        ctx.fillText("zoom in to read version vectors", 8, AXIS + 12);
      }
    }
    if (sel >= 0) {
      ctx.strokeStyle = S.ink;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(x(ev.t[sel]), yOf(ev.lane[sel]) + dyOf(ev.kind[sel]), 10, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }

  /**
   * Level of detail, zoomed out: per lane a heat strip, one pixel column per bin, its shade the
   * log of the events in it (one pass over the events in view, then O(width × lanes) fills, in
   * a few shades per lane). With a selection, the cone's past and future are shaded over it.
   */
  function drawHeat(lo, hi) {
    const cols = Math.ceil(W) + 1,
      cnt = new Uint32Array(cols * nl),
      past = cone ? new Uint32Array(cols * nl) : null,
      fut = cone ? new Uint32Array(cols * nl) : null;
    const [d0, d1] = x.domain(),
      [r0, r1] = x.range(),
      k = (r1 - r0) / (d1 - d0);
    for (let i = lo; i < hi; i++) {
      const c = Math.round((ev.t[i] - d0) * k + r0);
      if (c < 0 || c >= cols) continue;
      const o = ev.lane[i] * cols + c;
      cnt[o]++;
      if (cone && past && fut && cone[i]) {
        if (cone[i] & 1) past[o]++;
        if (cone[i] & 2) fut[o]++;
      }
    }
    let max = 1;
    for (let o = 0; o < cnt.length; o++) if (cnt[o] > max) max = cnt[o];
    const lmax = Math.log1p(max);
    const strip = (counts, colour, alpha, h) => {
      const paths = Array.from({ length: SHADES }, () => new Path2D());
      let any = false;
      for (let l = 0; l < nl; l++) {
        const y = yOf(l);
        for (let c = 0; c < cols; c++) {
          const v = counts[l * cols + c];
          if (!v) continue;
          any = true;
          paths[Math.min(SHADES - 1, Math.floor((Math.log1p(v) / lmax) * SHADES))].rect(c - 0.5, y - h / 2, 1, h);
        }
      }
      if (!any) return;
      ctx.fillStyle = colour;
      paths.forEach((p, j) => {
        ctx.globalAlpha = alpha * (0.25 + (0.75 * (j + 1)) / SHADES);
        ctx.fill(p);
      });
      ctx.globalAlpha = 1;
    };
    for (let l = 0; l < nl; l++) {
      // One lane at a time, so each gets its colour: the other lanes' counts are masked out.
      const only = new Uint32Array(cnt.length);
      only.set(cnt.subarray(l * cols, (l + 1) * cols), l * cols);
      strip(only, laneColor(l), cone ? 0.25 : 1, 14);
    }
    if (past && fut) {
      strip(past, S.past, 1, 8);
      strip(fut, S.future, 1, 8);
    }
  }

  function mark(i, k) {
    const px = x(ev.t[i]),
      py = yOf(ev.lane[i]) + dyOf(k),
      c = laneColor(ev.lane[i]);
    ctx.globalAlpha = cone && !cone[i] ? 0.15 : 1;
    const ring = cone && cone[i] ? coneColour(i) : null;
    ctx.lineWidth = 1.3;
    if (k === K.update) {
      circle(px, py, 5.5, c, "#fff");
    } else if (k === K.send) {
      circle(px, py, 2.2, S.ink, null);
    } else if (k === K.receive) {
      circle(px, py, 3.5, "#fff", S.muted);
    } else if (k === K.merge) {
      poly(
        [
          [px, py - 6],
          [px + 6, py],
          [px, py + 6],
          [px - 6, py],
        ],
        c,
        S.ink,
      );
    } else if (k === K.crash) {
      cross(px, py, 5, 2.5);
    } else if (k === K.restart) {
      poly(
        [
          [px - 4, py - 6],
          [px + 6, py],
          [px - 4, py + 6],
        ],
        S.ok,
        null,
      );
    } else if (k === K.resume) {
      poly(
        [
          [px - 4, py - 6],
          [px + 6, py],
          [px - 4, py + 6],
        ],
        "#fff",
        S.ink,
      );
    } else if (k === K.pause) {
      ctx.fillStyle = S.ink;
      ctx.fillRect(px - 4, py - 6, 2.5, 12);
      ctx.fillRect(px + 1.5, py - 6, 2.5, 12);
    } else if (k === K.ack) {
      circle(px, py, 5, S.ok, null);
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 1.6;
      ctx.lineCap = "round";
      ctx.beginPath();
      ctx.moveTo(px - 2.6, py);
      ctx.lineTo(px - 0.6, py + 2.2);
      ctx.lineTo(px + 2.8, py - 2.4);
      ctx.stroke();
      ctx.lineCap = "butt";
    } else if (k === K.lost) {
      ctx.lineWidth = 1.8;
      circle(px, py, 5.5, "#fff", S.bad);
      ctx.beginPath();
      ctx.moveTo(px - 3.9, py + 3.9);
      ctx.lineTo(px + 3.9, py - 3.9);
      ctx.stroke();
    } else if (k === K.service) {
      ctx.fillStyle = "#fff";
      ctx.fillRect(px - 4, py - 4, 8, 8);
      ctx.strokeStyle = c;
      ctx.lineWidth = 2;
      ctx.strokeRect(px - 4, py - 4, 8, 8);
    } else if (k === K.serviceOk) {
      ctx.fillStyle = c;
      ctx.fillRect(px - 4.5, py - 4.5, 9, 9);
      ctx.strokeStyle = S.ink;
      ctx.lineWidth = 1;
      ctx.strokeRect(px - 4.5, py - 4.5, 9, 9);
    } else if (k === K.serviceFail) {
      ctx.fillStyle = S.bad;
      ctx.fillRect(px - 5, py - 5, 10, 10);
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 1.6;
      ctx.lineCap = "round";
      ctx.beginPath();
      ctx.moveTo(px - 2.5, py - 2.5);
      ctx.lineTo(px + 2.5, py + 2.5);
      ctx.moveTo(px + 2.5, py - 2.5);
      ctx.lineTo(px - 2.5, py + 2.5);
      ctx.stroke();
      ctx.lineCap = "butt";
    } else if (k === K.buffered) {
      ctx.fillStyle = "#fde68a";
      ctx.fillRect(px - 4.5, py - 4.5, 9, 9);
      ctx.strokeStyle = S.buffered;
      ctx.lineWidth = 1.4;
      ctx.strokeRect(px - 4.5, py - 4.5, 9, 9);
      ctx.beginPath();
      ctx.moveTo(px - 2, py);
      ctx.lineTo(px + 2, py);
      ctx.stroke();
    } else if (k === K.jump) {
      circle(px, py, 6, "#fff", "#d97706");
      ctx.beginPath();
      ctx.moveTo(px, py - 3.5);
      ctx.lineTo(px, py);
      ctx.lineTo(px + 3, py + 1.5);
      ctx.stroke();
    }
    if (ring && k !== K.send) {
      ctx.strokeStyle = ring;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(px, py, 8, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }
  // Service tags ("#3", "unavailable", "x=1 y=0 fractured") above the marks in view: the same
  // placement as the static SVG (failures, then answers, then requests; none overlapping).
  const tagRank = (k) => (k === K.serviceFail ? 0 : k === K.serviceOk ? 1 : 2);
  function drawTags(lo, hi) {
    const vis = [];
    for (let t = 0; t < M.tags.ev.length; t++) {
      const i = M.tags.ev[t];
      if (i >= lo && i < hi) vis.push(t);
    }
    if (!vis.length) return;
    const text = (j) => strs[M.tags.s[vis[j]]],
      evOf = (j) => M.tags.ev[vis[j]];
    // Measured in the font each tag is drawn in: failure tags are bold, hence wider.
    const fontOf = (k) => (k === K.serviceFail ? "bold " : "") + "10.5px " + S.font;
    const kept = placeLabels(
      vis.length,
      (j) => ev.lane[evOf(j)],
      (j) => tagRank(ev.kind[evOf(j)]),
      (j) => x(ev.t[evOf(j)]) - 3,
      (j) => {
        ctx.font = fontOf(ev.kind[evOf(j)]);
        return ctx.measureText(text(j)).width;
      },
    );
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#fff";
    ctx.lineJoin = "round";
    for (const j of kept) {
      const i = evOf(j),
        k = ev.kind[i],
        px = x(ev.t[i]) - 3,
        py = yOf(ev.lane[i]) - 10;
      ctx.globalAlpha = cone && !cone[i] ? 0.25 : 1;
      ctx.font = fontOf(k);
      ctx.fillStyle = k === K.serviceFail ? S.bad : k === K.serviceOk ? S.ink : S.muted;
      ctx.strokeText(text(j), px, py);
      ctx.fillText(text(j), px, py);
    }
    ctx.globalAlpha = 1;
    ctx.lineJoin = "miter";
  }
  function circle(px, py, r, fill, stroke) {
    ctx.beginPath();
    ctx.arc(px, py, r, 0, 2 * Math.PI);
    if (fill) {
      ctx.fillStyle = fill;
      ctx.fill();
    }
    if (stroke) {
      ctx.strokeStyle = stroke;
      ctx.stroke();
    }
  }
  /**
   * An ✗ in the "bad" colour: a lost message's end, a crash.
   * @param {number} x @param {number} y @param {number} r half its width @param {number} width line width
   */
  function cross(x, y, r, width) {
    ctx.strokeStyle = S.bad;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(x - r, y - r);
    ctx.lineTo(x + r, y + r);
    ctx.moveTo(x + r, y - r);
    ctx.lineTo(x - r, y + r);
    ctx.stroke();
  }

  function poly(pts, fill, stroke) {
    ctx.beginPath();
    pts.forEach(([a, b], j) => (j ? ctx.lineTo(a, b) : ctx.moveTo(a, b)));
    ctx.closePath();
    if (fill) {
      ctx.fillStyle = fill;
      ctx.fill();
    }
    if (stroke) {
      ctx.strokeStyle = stroke;
      ctx.stroke();
    }
  }

  // ---- picking: nearest event to the pointer, within a few pixels --------------------------
  function pick(mx, my) {
    const l = Math.floor((my - AXIS) / laneH);
    if (l < 0 || l >= nl || Math.abs(my - yOf(l)) > laneH / 2.5) return -1;
    const list = lists[l],
      t = x.invert(mx);
    let best = -1,
      bestScore = Infinity;
    let k = Math.max(0, lowerIndex(list, x.invert(mx - 9)));
    for (; k < list.length; k++) {
      const i = list[k],
        d = Math.abs(x(ev.t[i]) - mx);
      if (ev.t[i] > t && d > 9) break;
      if (d > 9) continue;
      // Prefer the update over its own sends, and the mark nearest the pointer vertically.
      const score = d + (ev.kind[i] === K.send ? 4 : 0) + Math.abs(my - yOf(l) - dyOf(ev.kind[i]));
      if (score < bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return best;
  }
  function lowerIndex(list, t) {
    let lo = 0,
      hi = list.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (ev.t[list[m]] < t) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  function describe(i) {
    const k = ev.kind[i],
      l = ev.lane[i];
    const lines = [`<span class="k" style="color:${laneColor(l)}">${D.kindNames[k]}</span> · ${esc(M.lanes[l].name)} · ${fmtMs(ev.t[i])}`];
    lines.push(esc(strs[ev.info[i]]) + (ev.msg[i] >= 0 ? ` <span class="m">msg #${ev.msg[i]}</span>` : ""));
    if (k === K.send) {
      const a = ar.s.indexOf(i);
      if (a >= 0)
        lines.push(`<span class="m">fate:</span> ${D.arrowNames[ar.st[a]]}${ar.st[a] === A.dropped || ar.st[a] === A.inflight ? "" : ` after ${fmtMs(ar.t[a] - ev.t[i])}`}`);
    }
    if (ev.src[i] >= 0) lines.push(`<span class="m">sent at ${fmtMs(ev.t[ev.src[i]])}, in flight ${fmtMs(ev.t[i] - ev.t[ev.src[i]])}</span>`);
    const rec = k === K.restart ? "recovered " : "";
    lines.push(`<span class="m">${rec}version vector</span> <code class="vv">${esc(clipVV(vvText(i)))}</code>`);
    lines.push(`<span class="m">${rec}value</span> <code class="val">${ev.val[i] < 0 ? "—" : esc(valText(i))}</code>`);
    return lines.join("<br>");
  }

  // ---- the time slider: every replica's value at one instant -----------------------------
  function downAt(l, t) {
    return M.bands.find((b) => b.lane === l && b.kind !== "partition" && b.from <= t && t < b.to);
  }
  function setTime(t) {
    cursorT = t;
    slider.value = String(t);
    byId("tnow", HTMLElement).textContent = fmtMs(t);
    clockLabels(t);
    const at = stateAt(lists, ev.t, t);
    const vals = at.map((i) => (i < 0 ? null : ev.val[i]));
    const distinct = new Set(vals.filter((v) => v !== null && v >= 0));
    const palette = Array.from(distinct);
    d3.select("#values tbody")
      .selectAll("tr")
      .data(M.lanes)
      .join("tr")
      .html((lane, l) => {
        const i = at[l],
          down = downAt(l, t);
        const v = i < 0 || ev.val[i] < 0 ? "—" : valText(i);
        const sw = i < 0 || ev.val[i] < 0 ? "#fff" : S.lanes[(palette.indexOf(ev.val[i]) + 5) % S.lanes.length];
        return (
          `<td><b style="color:${laneColor(l)}">${esc(lane.name)}</b>${down ? ` <span class="down">${down.kind}</span>` : ""}</td>` +
          `<td><span class="swatch" style="background:${sw}" title="same colour = same value"></span><code>${esc(v)}</code></td>` +
          `<td><code>${i < 0 ? "—" : esc(clipVV(vvText(i)))}</code></td>`
        );
      });
    const agree = byId("agree", HTMLElement);
    if (D.noValues) {
      // A services-only run: no replica value ever changes, so a table of them says nothing.
      byId("values", HTMLElement).hidden = true;
      agree.innerHTML = `${fmtMs(t)} · no replicated updates in this run: the square marks are its services' requests and answers (hover one)`;
      requestDraw();
      return;
    }
    const blank = vals.filter((v) => v === null || v < 0).length;
    agree.innerHTML =
      distinct.size > 1
        ? `<b class="bad">${distinct.size} different values</b> at ${fmtMs(t)} — the replicas have not converged (yet)`
        : blank
          ? `<b class="bad">not converged</b> at ${fmtMs(t)} — ${blank} replica${blank > 1 ? "s have" : " has"} no update yet`
          : `<b class="ok">all replicas agree</b> at ${fmtMs(t)}`;
    requestDraw();
  }
  function stepEvent(dir) {
    const j = dir > 0 ? firstFrom(ev.t, cursorT + 1e-9) : firstFrom(ev.t, cursorT) - 1;
    if (j >= 0 && j < n) setTime(ev.t[j]);
  }

  // ---- selection: the causal cone -------------------------------------------------------
  function select(i) {
    sel = i;
    const box = byId("selection", HTMLElement);
    if (i < 0) {
      cone = null;
      box.innerHTML = "Click an event to light up its causal past and future.";
    } else {
      const c = (cone = causalCone(ev, i));
      let past = 0,
        fut = 0;
      for (let j = 0; j < n; j++) {
        if (c[j] === 1) past++;
        else if (c[j] === 2) fut++;
      }
      box.innerHTML =
        `Selected <b>${D.kindNames[ev.kind[i]]}</b> ${esc(strs[ev.info[i]])} at <b>${esc(M.lanes[ev.lane[i]].name)}</b>, ${fmtMs(ev.t[i])}: ` +
        `<b class="past">${past} events</b> in its causal past (could have influenced it), <b class="future">${fut} events</b> in its causal future (it could influence them); the rest are concurrent. ` +
        `<button id="clear">clear</button>`;
      byId("clear", HTMLButtonElement).onclick = () => select(-1);
    }
    requestDraw();
  }

  // ---- wiring ----------------------------------------------------------------------------
  let currentTransform = d3.zoomIdentity,
    pending = false;
  /** @type {import("d3").ZoomBehavior<HTMLCanvasElement, unknown>} */
  const zoom = d3.zoom();
  function requestDraw() {
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        draw();
      });
    }
  }
  zoom
    .scaleExtent([1, Math.max(50, span / 2)])
    .extent(() => [
      [0, 0],
      [W, H],
    ])
    .on("zoom", (e) => {
      currentTransform = e.transform;
      x = e.transform.rescaleX(x0);
      tip.style.display = "none";
      requestDraw();
    });
  d3.select(canvas).call(zoom).on("dblclick.zoom", null);
  canvas.addEventListener("mousemove", (e) => {
    const r = canvas.getBoundingClientRect(),
      i = pick(e.clientX - r.left, e.clientY - r.top);
    if (i < 0) {
      tip.style.display = "none";
      return;
    }
    tip.innerHTML = describe(i);
    tip.style.display = "block";
    const tw = tip.offsetWidth;
    tip.style.left = Math.min(e.clientX + 14, window.innerWidth - tw - 8) + "px";
    tip.style.top = e.clientY + 14 + "px";
  });
  canvas.addEventListener("mouseleave", () => (tip.style.display = "none"));
  canvas.addEventListener("click", (e) => {
    const r = canvas.getBoundingClientRect();
    select(pick(e.clientX - r.left, e.clientY - r.top));
  });
  window.addEventListener("keydown", (e) => {
    if (e.key === "Escape") select(-1);
  });
  slider.min = String(M.t0);
  slider.max = String(M.t1);
  slider.step = "1";
  slider.addEventListener("input", () => setTime(+slider.value));
  byId("prev", HTMLButtonElement).onclick = () => stepEvent(-1);
  byId("next", HTMLButtonElement).onclick = () => stepEvent(+1);
  const vvToggle = byId("vvtoggle", HTMLInputElement);
  vvToggle.addEventListener("change", () => {
    showVV = vvToggle.checked;
    requestDraw();
  });
  byId("reset", HTMLButtonElement).onclick = () => d3.select(canvas).transition().duration(300).call(zoom.transform, d3.zoomIdentity);
  window.addEventListener("resize", () => {
    resize();
    draw();
  });

  // A link may open the page on a time window, timeline.html#t=<from>-<to> (virtual ms): the
  // compare page of an explore failure opens each run on the steps and the failure that matter.
  // Returns the window's end (the slider goes there), or null without one.
  function focusFromHash() {
    const m = /^#t=(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(location.hash);
    if (!m) return null;
    const a = Math.max(M.t0, +m[1]),
      b = Math.min(tEnd, +m[2]);
    if (!(b > a)) return null;
    const [r0, r1] = x0.range();
    const k = Math.min(zoom.scaleExtent()[1], Math.max(1, (r1 - r0) / (x0(b) - x0(a))));
    d3.select(canvas).call(zoom.transform, d3.zoomIdentity.translate(r0 - k * x0(a), 0).scale(k));
    return Math.min(b, M.t1);
  }

  resize();
  select(-1);
  const focusEnd = focusFromHash();
  setTime(focusEnd ?? M.t1);
  draw();
  // Hooks for the browser tests and the render benchmark (read-only views of the state).
  window.timeline = {
    firstRenderMs: performance.now(),
    drawn,
    model: M,
    /** Client coordinates of event i under the current zoom. */
    pos(i) {
      const r = canvas.getBoundingClientRect();
      return { x: r.left + x(ev.t[i]), y: r.top + yOf(ev.lane[i]) + dyOf(ev.kind[i]) };
    },
    cone() {
      return cone && Array.from(cone);
    },
    domain() {
      return x.domain();
    },
    setTime,
    select,
    zoom: (k, t) => d3.select(canvas).call(zoom.scaleTo, k, [x0(t), 0]),
  };
  document.body.dataset.ready = "1";
})();
