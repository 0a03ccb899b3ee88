/**
 * The one error type the scenario loader throws. Every problem with a scenario — unreadable
 * file, malformed JSON, a bad field, an unknown CRDT, a plugin that breaks — becomes a
 * ScenarioError naming the file, the path of the bad field and the reason, so the CLI can print
 * it and exit 2, and a library user can catch one class. Its message is one line per problem,
 * each `<file>: <path>: <reason>`: the first line alone is the contract's one line, and an
 * author fixing a file sees every problem at once rather than one per attempt.
 */

/** One problem: `path` is a field path like `steps[3].partition` ("" for the whole file). */
export type ScenarioIssue = { path: string; reason: string };

export class ScenarioError extends Error {
  override name = "ScenarioError";
  readonly file: string;
  readonly path: string;
  readonly reason: string;
  /** Every problem found (the first one is `path`/`reason`); validation reports them all. */
  readonly issues: ScenarioIssue[];

  constructor(file: string, issues: ScenarioIssue[] | ScenarioIssue) {
    const list = Array.isArray(issues) ? issues : [issues];
    if (list.length === 0) throw new TypeError("ScenarioError needs at least one issue");
    super(list.map((i) => renderIssue(file, i)).join("\n"));
    this.file = file;
    this.path = list[0]!.path;
    this.reason = list[0]!.reason;
    this.issues = list;
  }

  /** Every issue on its own line: `message` split into its lines. */
  allLines(): string[] {
    return this.issues.map((i) => renderIssue(this.file, i));
  }
}

/** `<file>: <path>: <reason>`, without the path part when the problem is the whole file. */
export function renderIssue(file: string, issue: ScenarioIssue): string {
  return [file, issue.path, oneLine(issue.reason)].filter((s) => s !== "").join(": ");
}

/** Collapses a message to one line: errors from plugins may span several. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Formats a path like zod's `["steps", 3, "partition"]` as `steps[3].partition`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && IDENT.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** Appends one segment to an already formatted path. */
export function joinPath(base: string, seg: string | number): string {
  return base === "" ? formatPath([seg]) : base + formatPath(["x", seg]).slice(1);
}
