/** The side panels: replicas, checks as they fire, the session's steps, the lesson. */
import type { Scenario, Step } from "../../sim/scenario/types.ts";
import type { Cursor } from "../session/at-cursor.ts";
import { h } from "./dom.ts";
import { lessonPanel, lessonStage } from "./lesson-panel.ts";
import { nodeCard, type NodeActions } from "./node-panel.ts";
import type { AppState } from "./app-state.ts";

/**
 * The replica cards at the cursor. Rebuilt when what they offer changes (selection, sides, a node
 * going down, the steps); otherwise only their value and version vector text moves, so a field
 * being typed into keeps its focus while the session plays.
 */
export function syncNodes(host: HTMLElement, st: AppState, at: Cursor, act: NodeActions): void {
  const crdt = st.result?.crdt;
  if (!crdt) return;
  const key = JSON.stringify([st.scenario.nodes, st.selected, [...st.sideA], at.replicas.map((r) => r.down), st.scenario.clocks ?? {}, st.scenario.steps?.length, crdt.name]);
  if (host.dataset.key !== key) {
    host.dataset.key = key;
    const card = (r: Cursor["replicas"][number]) =>
      nodeCard(r, crdt, { selected: st.selected === r.node, side: st.sideA.has(r.node), skew: st.scenario.clocks?.[r.node]?.skew ?? 0, services: st.scenario.services }, act);
    return void host.replaceChildren(...at.replicas.map(card));
  }
  for (const r of at.replicas) {
    const card = host.querySelector(`[data-node="${CSS.escape(r.node)}"]`);
    const value = card?.querySelector(".value"),
      vv = card?.querySelector(".vv");
    if (value) value.textContent = r.value;
    if (vv) vv.textContent = r.vv;
  }
}

const fmt = (t: number) => `${t} ms`;

export function renderChecks(host: HTMLElement, at: Cursor, jump: (t: number) => void): void {
  host.replaceChildren(
    ...at.checks.map(({ check: c, fired }) => {
      const expectedAnomaly = !c.expected;
      const cls = fired ? (expectedAnomaly ? "caught" : "fired") : c.ok ? "holds" : "pending";
      const label = fired ? "✗" : "✓";
      return h(
        "li",
        { class: `check ${cls}`, "data-check": c.name, title: fired ? c.detail : "" },
        h("b", {}, `${label} ${c.name}`),
        fired && c.at ? h("button", { class: "jump-to", onclick: () => jump(c.at!.t) }, `at ${fmt(c.at.t)} on ${c.at.node}`) : null,
        fired ? h("div", { class: "detail" }, c.detail) : null,
      );
    }),
  );
}

export function stepText(s: Step): string {
  if ("op" in s) return `${s.node}: ${s.op}(${(s.args ?? []).map((a) => JSON.stringify(a)).join(", ")})`;
  if ("partition" in s) return `partition ${s.partition.map((g) => g.join("+")).join(" | ")}`;
  if ("heal" in s) return "heal";
  if ("crash" in s) return `crash ${s.crash}`;
  if ("restart" in s) return `restart ${s.restart}`;
  if ("clockJump" in s) return `${s.clockJump.node}: clock ${s.clockJump.by > 0 ? "+" : ""}${s.clockJump.by} ms`;
  const { at: _at, ...rest } = s;
  return JSON.stringify(rest);
}

export function renderSteps(host: HTMLElement, s: Scenario, remove: (i: number) => void): void {
  const steps = s.steps ?? [];
  host.replaceChildren(
    ...(steps.length ? steps : []).map((step, i) =>
      h("li", {}, h("span", { class: "at" }, fmt(step.at)), " ", stepText(step), " ", h("button", { class: "remove", title: "remove this step", onclick: () => remove(i) }, "×")),
    ),
  );
  if (!steps.length) host.append(h("li", { class: "empty" }, "No steps yet: click a lane to pick a node, then issue an op."));
}

export function renderLesson(host: HTMLElement, st: AppState, act: { fix(): void; restart(): void; leave(): void }): void {
  if (!st.lesson) return void host.replaceChildren();
  const stage = lessonStage(st.lesson.l, st.lesson.fixApplied, st.scenario, st.result?.run ?? null);
  host.replaceChildren(lessonPanel(st.lesson.l, stage, act));
}
