/**
 * A lesson in progress: its point, the task, and where the learner stands — cause the anomaly,
 * see the fix, done. The stage follows from the session's run, never from clicks counted.
 */
import type { Run } from "../../sim/run-types.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import type { Lesson } from "../session/lessons.ts";
import { h } from "./dom.ts";

export type LessonStage = "cause" | "caused" | "fixed-pending" | "done";

export function lessonStage(l: Lesson, fixApplied: boolean, s: Scenario, run: Run | null): LessonStage {
  if (!run) return fixApplied ? "fixed-pending" : "cause";
  if (!fixApplied) return l.caused(s, run) ? "caused" : "cause";
  return l.fixed(s, run) ? "done" : "fixed-pending";
}

const STAGE_TEXT: Record<LessonStage, string> = {
  cause: "Your turn: cause the anomaly.",
  caused: "There it is. Play to the end to see where the checker points, then apply the fix: the same clicks, made safe.",
  "fixed-pending": "The fix is in: play it through.",
  done: "Lesson complete ✓ — the fixed session keeps what the anomaly lost.",
};

export function lessonPanel(l: Lesson, stage: LessonStage, act: { fix(): void; restart(): void; leave(): void }): HTMLElement {
  return h(
    "aside",
    { class: `lesson stage-${stage}`, "data-stage": stage },
    h("h2", {}, l.title),
    h("p", { class: "point" }, l.point),
    h("p", { class: "task" }, h("b", {}, "Task: "), l.task),
    h("p", { class: "stage" }, STAGE_TEXT[stage]),
    stage === "caused" ? h("p", { class: "why" }, h("b", {}, "The fix: "), l.fix.why) : null,
    h(
      "div",
      { class: "lesson-buttons" },
      stage === "caused" ? h("button", { class: "apply-fix primary", onclick: act.fix }, "Apply the fix") : null,
      h("button", { class: "lesson-restart", onclick: act.restart }, "Start over"),
      h("button", { class: "lesson-leave", onclick: act.leave }, "Leave the lesson"),
    ),
  );
}
