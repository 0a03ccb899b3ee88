/** What the page holds: the session (a scenario), its run, the cursor and the learner's selections. */
import type { Scenario } from "../../sim/scenario/types.ts";
import type { CursorReader } from "../session/at-cursor.ts";
import type { Lesson } from "../session/lessons.ts";
import type { SessionRun } from "../session/run-session.ts";

export type AppState = {
  scenario: Scenario;
  result: SessionRun | null;
  reader: CursorReader | null;
  error: string | null;
  cursor: number;
  selected: string | null;
  sideA: Set<string>;
  lesson: { l: Lesson; fixApplied: boolean } | null;
};
