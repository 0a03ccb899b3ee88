/**
 * One card per replica at the cursor: its value and version vector, whether it is down, and what
 * can be done to it now — an op (the type's ops, with argument fields prefilled from its op
 * alphabet), crash or restart, a clock jump, a skew from the start, and the partition side.
 */
import type { Crdt } from "../../core/contract.ts";
import { sampleArg } from "../../sim/scenario/load-semantics.ts";
import type { ServicesSpec, Step } from "../../sim/scenario/types.ts";
import type { ReplicaAt } from "../session/at-cursor.ts";
import { h } from "./dom.ts";

export type NodeActions = {
  step(s: Omit<Step, "at"> & { at?: number }): void;
  skew(node: string, ms: number): void;
  select(node: string): void;
  toggleSide(node: string): void;
};

/** An argument field's text as JSON when it parses, else as a plain string ("milk" or milk). */
export function parseArg(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function opForm(node: string, crdt: Crdt, act: NodeActions): HTMLElement {
  const select = h("select", { "aria-label": `op on ${node}`, class: "op-name" });
  for (const o of crdt.ops) select.append(h("option", { value: o.op }, o.op));
  const args = h("span", { class: "op-args" });
  const fill = () => {
    const spec = crdt.ops.find((o) => o.op === select.value);
    args.replaceChildren(
      ...(spec?.args ?? []).map((a, i) => h("input", { class: "op-arg", "aria-label": `argument ${i + 1}`, value: JSON.stringify(sampleArg(a)) ?? "", size: "8" })),
    );
  };
  select.addEventListener("change", fill);
  fill();
  const issue = () => {
    const values = [...args.querySelectorAll("input")].map((i) => parseArg(i.value));
    act.step({ node, op: select.value, args: values });
  };
  return h("div", { class: "op-form" }, select, args, h("button", { class: "issue", onclick: issue }, "issue"));
}

/** Requests to the scenario's services, when it declares them: the sequencer's next number, a RAMP write or read. */
function serviceForms(node: string, services: ServicesSpec, act: NodeActions): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (services.sequencer) {
    const name = h("input", { class: "seq-name", "aria-label": "sequence name", value: "invoice", size: "8" });
    out.push(h("div", { class: "op-form" }, h("span", {}, "sequencer"), name, h("button", { class: "next", onclick: () => act.step({ node, next: name.value }) }, "next number")));
  }
  const keys = Object.keys(services.ramp?.keys ?? {});
  if (keys.length) {
    const write = h("input", { class: "txn-write", "aria-label": "transaction write", value: JSON.stringify(Object.fromEntries(keys.map((k) => [k, 1]))), size: "14" });
    const doWrite = () => {
      const value = parseArg(write.value);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) act.step({ node, txn: { write: value as Record<string, unknown> } });
    };
    out.push(
      h(
        "div",
        { class: "op-form" },
        h("span", {}, "RAMP"),
        write,
        h("button", { class: "txn-write-go", onclick: doWrite }, "write"),
        h("button", { class: "txn-read", onclick: () => act.step({ node, txn: { read: keys } }) }, `read ${keys.join(", ")}`),
      ),
    );
  }
  return out;
}

export type CardOptions = { selected: boolean; side: boolean; skew: number; services: ServicesSpec | undefined };

export function nodeCard(r: ReplicaAt, crdt: Crdt, o: CardOptions, act: NodeActions): HTMLElement {
  const n = r.node;
  const down = r.down !== null;
  return h(
    "section",
    { class: `node${o.selected ? " selected" : ""}${down ? " down" : ""}`, "data-node": n },
    h("header", { onclick: () => act.select(n) }, h("b", {}, n), r.down ? h("span", { class: "badge down" }, r.down) : null),
    h(
      "label",
      { class: "side", title: "partition side: ticked nodes form one group, the rest the other" },
      h("input", { type: "checkbox", class: "side-box", checked: o.side, onchange: () => act.toggleSide(n) }),
      "side A",
    ),
    h("div", { class: "value", title: "value at the cursor" }, r.value),
    h("div", { class: "vv", title: "version vector at the cursor" }, r.vv),
    o.selected ? opForm(n, crdt, act) : null,
    ...(o.selected && o.services ? serviceForms(n, o.services, act) : []),
    o.selected
      ? h(
          "div",
          { class: "node-faults" },
          down
            ? h("button", { class: "restart", onclick: () => act.step({ restart: n }) }, "restart")
            : h("button", { class: "crash", onclick: () => act.step({ crash: n }) }, "crash"),
          h("button", { class: "jump", onclick: () => act.step({ clockJump: { node: n, by: -30000 } }) }, "clock −30 s"),
          h("button", { class: "jump", onclick: () => act.step({ clockJump: { node: n, by: 30000 } }) }, "clock +30 s"),
          h(
            "label",
            { title: "the clock's offset from the start of the session" },
            "skew ",
            h("input", { class: "skew", type: "number", step: "1000", value: String(o.skew), onchange: (e) => act.skew(n, Number((e.target as HTMLInputElement).value) || 0) }),
            " ms",
          ),
        )
      : null,
  );
}
