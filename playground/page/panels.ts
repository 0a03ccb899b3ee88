/** The side panels: replicas, checks as they fire, the session's steps, the lesson. */
import type { Scenario, Step } from "../../sim/scenario/types.ts";
import type { Cursor, MessageAt } from "../session/at-cursor.ts";
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

/**
 * The replica messages on the wire at the cursor, each with what a step can do to it. Rebuilt
 * only when the set changes, so a click is not lost to a frame of play redrawing the list.
 */
export function syncInFlight(host: HTMLElement, messages: MessageAt[], services: number, act: (step: Omit<Step, "at">) => void): void {
  const key = `${messages.map((m) => m.msg).join(",")}/${services}`;
  if (host.dataset.key === key) return;
  host.dataset.key = key;
  // Said where they would be clicked: the services' messages cross a network of their own, which the message steps do not reach.
  const note = services
    ? h(
        "li",
        { class: "service-note" },
        `+ ${services} sequencer or RAMP message${services === 1 ? "" : "s"} on the wire (on the timeline), not listed: drop, dup and hold reach only the replicas' messages. To lose or delay a service's, partition or cut its link.`,
      )
    : null;
  if (!messages.length) return void host.replaceChildren(note ?? h("li", { class: "empty" }, "No message on the wire here."));
  host.replaceChildren(
    ...messages.map((m) =>
      h(
        "li",
        { "data-msg": String(m.msg), title: `sent at ${fmt(m.sentAt)}; arrives (or ends) at ${fmt(m.endsAt)}` },
        h("span", { class: "msg" }, `#${m.msg} ${m.kind} ${m.from} → ${m.to}`),
        h("button", { class: "msg-drop", onclick: () => act({ drop: m.msg }) }, "drop"),
        h("button", { class: "msg-duplicate", onclick: () => act({ duplicate: m.msg }) }, "dup"),
        h("button", { class: "msg-hold", title: "held until the next heal", onclick: () => act({ hold: m.msg }) }, "hold"),
      ),
    ),
    ...(note ? [note] : []),
  );
}

export function renderChecks(host: HTMLElement, at: Cursor, jump: (t: number) => void): void {
  host.replaceChildren(
    ...at.checks.map(({ check: c, fired, decided }) => {
      const expectedAnomaly = !c.expected;
      // Before the end a check that has not broken yet is only "so far": the end state decides convergence.
      const cls = fired ? (expectedAnomaly ? "caught" : "fired") : decided ? "holds" : "so-far";
      const label = fired ? "✗" : decided ? "✓" : "…";
      return h(
        "li",
        { class: `check ${cls}`, "data-check": c.name, title: fired ? c.detail : decided ? "" : "has not broken so far; decided by the end of the run" },
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
  if ("drop" in s) return `drop message #${s.drop}`;
  if ("duplicate" in s) return `duplicate message #${s.duplicate}`;
  if ("hold" in s) return `hold message #${s.hold} until a heal`;
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
