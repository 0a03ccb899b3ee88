/**
 * The loader's error with its issues, in a module of its own: load-crdt.ts throws it, and so does
 * the plugin contract check (plugin-contract.ts), which load-crdt.ts imports on demand — each
 * importing the other would be a cycle.
 */
import type { ScenarioIssue } from "./load-errors.ts";

/** Thrown inside the loader; load.ts wraps it into a ScenarioError with the file name. */
export class IssueError extends Error {
  constructor(readonly issues: ScenarioIssue[]) {
    super(issues[0]?.reason ?? "invalid");
  }
}
