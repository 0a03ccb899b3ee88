/**
 * The RGA's canonical codec: the bytes depend only on the state's meaning (the set of inserted
 * runs and the set of deleted ids), never on arrival order, item splits or what is still pending.
 *
 *   names      uint n, n × string, strictly sorted
 *   per name   runs      uint count
 *              gaps      uint count, then (uint run index delta, uint gap ≥ 1): runs whose
 *                        counter does not follow the previous run's end (rare: a replica's
 *                        counters are dense unless some of its runs are not known here)
 *              then per run (counter order, maximal: continuations merged)
 *                          header  uint (len − 1)·8 + flags
 *                                  flags bit 0: origin-right is implied — the character right
 *                                               after origin-left in its replica (lc + 1), the
 *                                               common case of typing into the middle of a run
 *                                        bits 1–2: 0 nothing deleted, 1 whole run deleted,
 *                                               2 partly deleted (ranges follow)
 *                          left    uint 0 edge | odd: same replica, zigzag(lc − previous same-
 *                                  replica lc) | even 2(i+1): replica i (≠ own), then uint lc
 *                          right   (unless implied) uint 0 edge | 1 replica i ≠ left's, uint i,
 *                                  uint rc | 2 + zigzag(rc − lc): left's replica
 *                          partly  uint k ≥ 1 ranges, each uint gap (from the run start or the
 *                                  previous range's end; ≥ 1 after the first), uint len − 1
 *              deletes   deleted counters that no run here holds (deletes that arrived before
 *                        their characters): uint count, then (uint gap, uint len − 1)
 *   content    one string: the visible characters of every run, in the order above
 *
 * Why this layout (automerge-paper: 148 KB → about 127 KB): counters are implicit (runs are
 * dense in counter order), a deleted character costs nothing (not even its text), the run
 * length and three flags share one varint, the right origin is usually implied by the left,
 * and the left origin is coded against the previous run's (edits cluster in the document).
 */
import { type Reader } from "../../encoding/reader.ts";
import { type Writer } from "../../encoding/writer.ts";
import { rangesAdd, rangesAt, rangesNormalize } from "./seq-ranges.ts";
import { type Run, RgaDoc } from "./seq-rga.ts";
import { delsOf, RgaState, runsOf } from "./seq-rga-state.ts";
import { readNames, writeNames } from "./seq-names.ts";

type Seg = { ctr: number; len: number; l: string | null; lc: number; r: string | null; rc: number; text: string };

const DEL_NONE = 0,
  DEL_WHOLE = 1,
  DEL_PART = 2;

/** Unsigned zigzag of a signed safe integer, for writers that fold it into a tagged uint. */
const zig = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
const unzig = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

export function writeRga(w: Writer, s: RgaState): void {
  const segs = new Map<string, Seg[]>();
  const dels = new Map<string, number[]>();
  const names = new Set<string>();
  runsOf(s, (r) => {
    let l = segs.get(r.rep);
    if (!l) segs.set(r.rep, (l = []));
    l.push({ ctr: r.ctr, len: r.text.length, l: r.l, lc: r.lc, r: r.r, rc: r.rc, text: r.text });
    names.add(r.rep);
    if (r.l !== null) names.add(r.l);
    if (r.r !== null) names.add(r.r);
  });
  delsOf(s, (name, from, to) => {
    let l = dels.get(name);
    if (!l) dels.set(name, (l = []));
    l.push(from, to);
    names.add(name);
  });
  const table = writeNames(w, names);
  const index = new Map(table.map((n, i) => [n, i]));
  const content: string[] = [];
  for (const name of table) {
    const deleted = rangesNormalize(dels.get(name) ?? []);
    const runs = maximal(
      (segs.get(name) ?? []).sort((x, y) => x.ctr - y.ctr),
      name,
    );
    w.uint(runs.length);
    const gaps: { run: number; gap: number }[] = [];
    let k = 0,
      e = 0;
    for (const x of runs) {
      if (x.ctr !== e) gaps.push({ run: k, gap: x.ctr - e });
      e = x.ctr + x.len;
      k++;
    }
    w.uint(gaps.length);
    let prev = 0;
    for (const { run, gap } of gaps) {
      w.uint(run - prev).uint(gap);
      prev = run;
    }
    let lastL = 0;
    let di = 0; // first deleted range that may touch the current run
    const orphans: number[] = []; // deleted ranges (or parts) outside every run
    for (const r of runs) {
      const end = r.ctr + r.len;
      // Deleted ranges before this run belong to no run; then the parts inside it.
      const inside: number[] = [];
      while (di < deleted.length && rangesAt(deleted, di) < end) {
        const ds = rangesAt(deleted, di),
          de = rangesAt(deleted, di + 1);
        if (ds < r.ctr) orphans.push(ds, Math.min(de, r.ctr));
        if (de > r.ctr) inside.push(Math.max(ds, r.ctr), Math.min(de, end));
        if (de > end) {
          deleted[di] = end; // the rest may belong to the next run
          break;
        }
        di += 2;
      }
      const whole = inside.length === 2 && rangesAt(inside, 0) === r.ctr && rangesAt(inside, 1) === end;
      const implied = r.l !== null && r.r === r.l && r.rc === r.lc + 1;
      w.uint((r.len - 1) * 8 + (implied ? 1 : 0) + 2 * (inside.length === 0 ? DEL_NONE : whole ? DEL_WHOLE : DEL_PART));
      if (r.l === null) w.uint(0);
      else if (r.l === name) {
        w.uint(1 + 2 * zig(r.lc - lastL));
        lastL = r.lc;
      } else w.uint(2 * (index.get(r.l)! + 1)).uint(r.lc);
      if (!implied) {
        if (r.r === null) w.uint(0);
        else if (r.l !== null && r.r === r.l) w.uint(2 + zig(r.rc - r.lc));
        else w.uint(1).uint(index.get(r.r)!).uint(r.rc);
      }
      let c = r.ctr;
      if (!whole && inside.length > 0) {
        w.uint(inside.length / 2);
        for (let i = 0; i < inside.length; i += 2) {
          const from = rangesAt(inside, i),
            to = rangesAt(inside, i + 1);
          w.uint(from - c - (i > 0 ? 1 : 0)).uint(to - from - 1);
          c = to;
        }
      }
      // Visible characters only.
      c = r.ctr;
      for (let i = 0; i < inside.length; i += 2) {
        const from = rangesAt(inside, i);
        if (from > c) content.push(r.text.slice(c - r.ctr, from - r.ctr));
        c = rangesAt(inside, i + 1);
      }
      if (c < end) content.push(c === r.ctr ? r.text : r.text.slice(c - r.ctr));
    }
    for (; di < deleted.length; di += 2) orphans.push(rangesAt(deleted, di), rangesAt(deleted, di + 1));
    w.uint(orphans.length / 2);
    for (let i = 0, e = 0; i < orphans.length; i += 2) {
      const from = rangesAt(orphans, i),
        to = rangesAt(orphans, i + 1);
      w.uint(from - e).uint(to - from - 1);
      e = to;
    }
  }
  w.string(content.join(""));
}

/** Merges continuation segments (split pieces of one typed run) into maximal runs. */
function maximal(list: Seg[], name: string): Seg[] {
  const runs: Seg[] = [];
  let last: Seg | null = null;
  for (const sg of list) {
    if (last !== null && continues(last, sg, name)) {
      last.len += sg.len;
      last.text += sg.text;
    } else runs.push((last = { ...sg }));
  }
  return runs;
}

function continues(a: Seg, b: Seg, name: string): boolean {
  return b.ctr === a.ctr + a.len && b.l === name && b.lc === b.ctr - 1 && b.r === a.r && (b.r === null || b.rc === a.rc);
}

type Raw = { rep: string; ctr: number; len: number; l: string | null; lc: number; r: string | null; rc: number; dels: number[] };

export function readRga(r: Reader): RgaState {
  const table = readNames(r);
  const runs: Raw[] = [];
  const orphanDels: [string, number[]][] = [];
  const used = new Set<string>();
  const nameAt = (i: number): string => table[i] ?? r.fail(`origin names replica #${i} of ${table.length}`);
  for (const [ni, name] of table.entries()) {
    const count = r.count(2);
    // Counter gaps (run index → gap before it), listed before the runs they shift.
    const gapAt = new Map<number, number>();
    const gc = r.count(2);
    for (let i = 0, at = 0; i < gc; i++) {
      const step = r.uint();
      if (i > 0 && step === 0) r.fail("counter gaps not in increasing run order");
      at += step;
      const gap = r.uint();
      if (at >= count || gap === 0) r.fail(`counter gap #${i} names run ${at} of ${count} with gap ${gap}`);
      gapAt.set(at, gap);
    }
    const first = runs.length;
    let prev: Raw | null = null; // this replica's previous run
    let lastL = 0;
    let end = 0;
    for (let k = 0; k < count; k++) {
      const h = r.uint();
      const len = Math.floor(h / 8) + 1,
        flags = h % 8;
      const delKind = flags >> 1;
      if (delKind > DEL_PART) r.fail(`run flags ${flags}: unknown delete kind`);
      const ctr = end + (gapAt.get(k) ?? 0);
      end = ctr + len;
      if (!Number.isSafeInteger(end)) r.fail("counter exceeds 2^53");
      let l: string | null = null,
        lc = -1;
      const lt = r.uint();
      if (lt % 2 === 1) {
        l = name;
        lc = lastL + unzig((lt - 1) / 2);
        lastL = lc;
      } else if (lt > 0) {
        const i = lt / 2 - 1;
        l = nameAt(i);
        if (i === ni) r.fail("origin on the run's own replica must use the short form");
        lc = r.uint();
      }
      if (l !== null && (lc < 0 || !Number.isSafeInteger(lc))) r.fail(`origin counter ${lc} out of range`);
      let rn: string | null = null,
        rc = -1;
      if (flags & 1) {
        if (l === null) r.fail("implied origin-right without an origin-left");
        rn = l;
        rc = lc + 1;
      } else {
        const rt = r.uint();
        if (rt === 1) {
          rn = nameAt(r.uint());
          if (rn === l) r.fail("origin-right on the left origin's replica must use the short form");
          rc = r.uint();
        } else if (rt >= 2) {
          if (l === null) r.fail("origin-right relative to a missing origin-left");
          rn = l;
          rc = lc + unzig(rt - 2);
          if (rc < 0 || !Number.isSafeInteger(rc)) r.fail(`origin counter ${rc} out of range`);
          if (rc === lc + 1) r.fail("origin-right right after origin-left must be implied (not canonical)");
        }
      }
      const dels: number[] = [];
      if (delKind === DEL_WHOLE) dels.push(ctr, end);
      else if (delKind === DEL_PART) {
        const m = r.count(2);
        if (m === 0) r.fail("a partly deleted run with no deleted range");
        let c = ctr;
        for (let i = 0; i < m; i++) {
          const s = c + r.uint() + (i > 0 ? 1 : 0);
          const e = s + r.uint() + 1;
          if (e > end) r.fail("deleted range runs past its run");
          dels.push(s, e);
          c = e;
        }
        if (m === 1 && rangesAt(dels, 0) === ctr && rangesAt(dels, 1) === end) r.fail("a wholly deleted run must use the whole-run flag (not canonical)");
      }
      if (prev !== null && ctr === prev.ctr + prev.len && l === name && lc === ctr - 1 && rn === prev.r && (rn === null || rc === prev.rc))
        r.fail("run continues the previous one (not canonical: runs must be maximal)");
      prev = { rep: name, ctr, len, l, lc, r: rn, rc, dels };
      runs.push(prev);
      used.add(name);
      if (l !== null) used.add(l);
      if (rn !== null) used.add(rn);
    }
    // Deletes of counters no run here holds.
    const oc = r.count(2);
    const orphans: number[] = [];
    let e = 0;
    for (let k = 0; k < oc; k++) {
      const gap = r.uint();
      if (k > 0 && gap === 0) r.fail("delete ranges touch (not canonical: they must be merged)");
      const s = e + gap;
      e = s + r.uint() + 1;
      if (!Number.isSafeInteger(e)) r.fail("counter exceeds 2^53");
      orphans.push(s, e);
    }
    if (oc) {
      checkOrphans(r, orphans, runs.slice(first));
      orphanDels.push([name, orphans]);
      used.add(name);
    }
  }
  const content = r.string();
  for (const name of table) if (!used.has(name)) r.fail(`replica "${name}" is listed but never used`);
  // Hand out content to the visible characters of each run; deleted ones get a placeholder.
  let at = 0;
  const full: Run[] = [];
  // No closure per run here: one function object per run was a visible share of a load.
  for (const x of runs) {
    let text = "";
    let c = x.ctr;
    // Visible characters up to each deleted range, the range as placeholders, then the rest.
    for (let i = 0; i <= x.dels.length; i += 2) {
      const to = i < x.dels.length ? rangesAt(x.dels, i) : x.ctr + x.len;
      const take = to - c;
      if (at + take > content.length) r.fail("content shorter than the runs' visible characters");
      text += content.slice(at, at + take);
      at += take;
      if (i === x.dels.length) break;
      c = rangesAt(x.dels, i + 1);
      text += "\0".repeat(c - to);
    }
    full.push({ rep: x.rep, ctr: x.ctr, text, l: x.l, lc: x.lc, r: x.r, rc: x.rc });
  }
  if (at !== content.length) r.fail(`content has ${content.length - at} characters more than the runs hold`);
  const d = new RgaDoc();
  for (const name of table) d.rep(name);
  for (const run of full) d.addPending(run);
  d.flush();
  for (const x of runs) for (let i = 0; i < x.dels.length; i += 2) d.addDelete(x.rep, rangesAt(x.dels, i), rangesAt(x.dels, i + 1));
  for (const [name, ranges] of orphanDels) for (let i = 0; i < ranges.length; i += 2) d.addDelete(name, rangesAt(ranges, i), rangesAt(ranges, i + 1));
  return new RgaState(d);
}

/** Orphan deletes must lie outside every run of their replica (else they belong to the run). */
function checkOrphans(r: Reader, orphans: number[], runs: Raw[]): void {
  const held: number[] = [];
  for (const x of runs) rangesAdd(held, x.ctr, x.ctr + x.len);
  for (let i = 0, j = 0; i < orphans.length; i += 2) {
    while (j < held.length && rangesAt(held, j + 1) <= rangesAt(orphans, i)) j += 2;
    if (j < held.length && rangesAt(held, j) < rangesAt(orphans, i + 1)) r.fail("a delete of counters a run holds is listed outside the run (not canonical)");
  }
}
