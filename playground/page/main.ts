/**
 * The playground page: one session (a scenario) and its run, a cursor in virtual time, and the
 * panels drawn from them. Every input edits the scenario and the run is recomputed — from the
 * last checkpoint before the edit (deterministic: what lies before it does not change); playing
 * moves the cursor only.
 */
import type { Scenario, Step } from "../../sim/scenario/types.ts";
import type { AppState } from "./app-state.ts";
import { CursorReader } from "../session/at-cursor.ts";
import { GALLERY } from "../session/gallery.ts";
import { LESSONS, type Lesson } from "../session/lessons.ts";
import { IncrementalRunner } from "../session/incremental.ts";
import { runSession } from "../session/run-session.ts";
import { addStep, emptySession, partitionStep, removeStep, withSkew } from "../session/session.ts";
import { decodeSession, encodeSession, exportJson } from "../session/share.ts";
import { byId } from "./dom.ts";
import { lessonStage } from "./lesson-panel.ts";
import { Player } from "./player.ts";
import { renderChecks, renderLesson, renderSteps, syncInFlight, syncNodes } from "./panels.ts";
import { TimelineView } from "./timeline-view.ts";

/** Keeps checkpoints of the last run: an edit recomputes from the last one before it (incremental.ts). */
const runner = new IncrementalRunner();
const st: AppState = { scenario: emptySession("or-set"), result: null, reader: null, error: null, cursor: 0, selected: null, sideA: new Set(), lesson: null };
const view = new TimelineView(byId("timeline"), (node, t) => {
  st.selected = node;
  player.pause();
  setCursor(t);
  redraw();
});
const player = new Player((dt) => {
  const end = st.reader?.end ?? 0;
  setCursor(Math.min(end, st.cursor + dt));
  return st.cursor < end;
}, byId<HTMLButtonElement>("play"));

/** Replaces the session; an invalid one is refused whole, with the loader's lines shown, and the old one kept. */
async function setScenario(next: Scenario, o: { cursor?: number } = {}): Promise<boolean> {
  try {
    const result = await runSession(next, () => performance.now(), runner);
    Object.assign(st, { scenario: result.scenario, result, reader: new CursorReader(result.model, result.scenario.duration, result.initial), error: null });
    view.show(result.model);
    history.replaceState(null, "", encodeSession(result.scenario));
  } catch (e) {
    st.error = e instanceof Error ? e.message : String(e);
    redraw();
    return false;
  }
  if (o.cursor !== undefined) st.cursor = o.cursor;
  redraw();
  setCursor(st.cursor);
  return true;
}

function setCursor(t: number): void {
  st.cursor = Math.max(0, Math.round(t));
  view.setCursor(st.cursor);
  const slider = byId<HTMLInputElement>("cursor");
  slider.max = String(st.reader?.end ?? 0);
  slider.value = String(st.cursor);
  byId("time").textContent = `${st.cursor} ms`;
  if (st.reader) {
    const at = st.reader.at(st.cursor);
    syncNodes(byId("nodes"), st, at, actions);
    renderChecks(byId("checks"), at, (t) => (player.pause(), setCursor(t)));
    syncInFlight(byId("flight"), at.inFlight, at.serviceInFlight, actions.step);
    byId("partition-now").textContent = at.partition ?? "network whole";
    byId("diverged").textContent = at.diverged ? "replicas differ" : "replicas agree";
    byId("diverged").className = at.diverged ? "pill warn" : "pill ok";
  }
}

const actions = {
  step: (s: Omit<Step, "at"> & { at?: number }) => void setScenario(addStep(st.scenario, { ...s, at: s.at ?? st.cursor } as Step)),
  skew: (node: string, ms: number) => void setScenario(withSkew(st.scenario, node, ms)),
  select: (node: string) => {
    st.selected = st.selected === node ? null : node;
    view.select(st.selected);
    setCursor(st.cursor);
  },
  toggleSide: (node: string) => {
    if (!st.sideA.delete(node)) st.sideA.add(node);
    setCursor(st.cursor);
  },
};

function redraw(): void {
  byId("error").textContent = st.error ?? "";
  byId("error").hidden = st.error === null;
  const r = st.result;
  if (!r) return;
  const hash = r.run.summary.traceHash;
  byId("hash").textContent = `${hash.slice(0, 16)}…`;
  byId("hash").title = hash;
  byId("hash").dataset.hash = hash;
  byId("stats").textContent = `${r.crdt.name} · seed ${r.run.summary.seed} · ${r.model.ev.t.length} events · simulated in ${r.simMs.toFixed(1)} ms · traceHash ${hash}`;
  view.select(st.selected);
  byId("nodes").dataset.key = "";
  byId("flight").dataset.key = "-";
  renderSteps(byId("steps"), st.scenario, (i) => void setScenario(removeStep(st.scenario, i)));
  renderLesson(byId("lesson"), st, {
    fix: () => {
      const lesson = st.lesson;
      if (!lesson) return;
      lesson.fixApplied = true;
      void setScenario(lesson.l.fix.apply(st.scenario), { cursor: 0 }).then((ok) => {
        if (!ok) lesson.fixApplied = false;
      });
    },
    restart: () => st.lesson && startLesson(st.lesson.l),
    leave: () => {
      st.lesson = null;
      redraw();
    },
  });
  const link = byId<HTMLAnchorElement>("download");
  URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([exportJson(st.scenario)], { type: "application/json" }));
  link.download = `${st.scenario.name}.json`;
}

function startLesson(l: Lesson): void {
  st.lesson = { l, fixApplied: false };
  st.selected = null;
  st.sideA.clear();
  void setScenario(structuredClone(l.start), { cursor: 0 });
}

function fillPickers(): void {
  const gallery = byId<HTMLSelectElement>("gallery");
  GALLERY.forEach((g, i) => gallery.append(new Option(g.name, String(i))));
  gallery.addEventListener("change", () => {
    const g = GALLERY[Number(gallery.value)];
    gallery.value = "";
    if (!g) return;
    st.lesson = null;
    void setScenario(structuredClone(g.scenario) as Scenario, { cursor: 0 });
  });
  const lessons = byId<HTMLSelectElement>("lessons");
  LESSONS.forEach((l, i) => lessons.append(new Option(l.title, String(i))));
  lessons.addEventListener("change", () => {
    const l = LESSONS[Number(lessons.value)];
    lessons.value = "";
    if (l) startLesson(l);
  });
  // A scenario file from disk — one of the gallery's, or the scenario.json of any run directory.
  byId<HTMLInputElement>("open-file").addEventListener("change", async (e) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    try {
      st.lesson = null;
      await setScenario(JSON.parse(await file.text()) as Scenario, { cursor: 0 });
    } catch (err) {
      st.error = `${file.name}: not JSON (${(err as Error).message})`;
      redraw();
    }
  });
  const crdt = byId<HTMLSelectElement>("crdt");
  crdt.addEventListener("change", () => {
    const spec = crdt.value.startsWith("./") ? { module: crdt.value } : crdt.value;
    crdt.value = "";
    st.lesson = null;
    void setScenario(emptySession(spec), { cursor: 0 });
  });
}

function wireToolbar(): void {
  byId("play").addEventListener("click", () => (player.playing ? player.pause() : (st.cursor >= (st.reader?.end ?? 0) && setCursor(0), player.play())));
  byId("step").addEventListener("click", () => (player.pause(), setCursor(st.reader?.nextEventAfter(st.cursor) ?? st.cursor)));
  byId("rewind").addEventListener("click", () => (player.pause(), setCursor(0)));
  byId<HTMLSelectElement>("speed").addEventListener("change", (e) => (player.speed = Number((e.target as HTMLSelectElement).value)));
  byId<HTMLInputElement>("cursor").addEventListener("input", (e) => (player.pause(), setCursor(Number((e.target as HTMLInputElement).value))));
  byId("partition").addEventListener("click", () => {
    if (st.sideA.size === 0 || st.sideA.size === st.scenario.nodes.length) return void ((st.error = "partition: tick “side A” on some nodes, not all"), redraw());
    actions.step(partitionStep(st.cursor, st.scenario.nodes, st.sideA));
  });
  byId("heal").addEventListener("click", () => actions.step({ heal: true }));
  byId("undo").addEventListener("click", () => st.scenario.steps?.length && void setScenario(removeStep(st.scenario, st.scenario.steps.length - 1)));
  byId("copy-link").addEventListener("click", () => {
    const out = byId<HTMLInputElement>("link");
    out.value = location.href;
    out.hidden = false;
    out.select();
  });
}

/** What the browser tests and the benchmark read and drive. */
declare global {
  interface Window {
    playground: unknown;
  }
}
window.playground = {
  state: () => ({
    cursor: st.cursor,
    end: st.reader?.end ?? 0,
    traceHash: st.result?.run.summary.traceHash ?? null,
    error: st.error,
    scenario: st.scenario,
    at: st.reader?.at(st.cursor) ?? null,
    stage: st.lesson ? lessonStage(st.lesson.l, st.lesson.fixApplied, st.scenario, st.result?.run ?? null) : null,
    events: st.result?.model.ev.t.length ?? 0,
    simEvents: st.result?.run.summary.stats.events ?? 0,
    simMs: st.result?.simMs ?? 0,
    from: st.result?.from ?? 0,
  }),
  exportJson: () => exportJson(st.scenario),
  setCursor: (t: number) => (player.pause(), setCursor(t)),
  /** A step added as a click adds it (the benchmark's edit at the end of a long session). */
  addStep: (s: Step) => setScenario(addStep(st.scenario, s)),
  load: (s: Scenario) => {
    st.lesson = null;
    return setScenario(s, { cursor: 0 });
  },
  player,
};

fillPickers();
wireToolbar();
let initial: Scenario = st.scenario;
try {
  initial = (decodeSession(location.hash) as Scenario | null) ?? initial;
} catch (e) {
  st.error = (e as Error).message;
}
void setScenario(initial).then(() => document.body.setAttribute("data-ready", ""));
