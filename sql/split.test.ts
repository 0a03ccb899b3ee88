/** splitStatements: a script's statements end at `;` outside literals, quoted names and comments, each with the line it starts on. */
import { describe, expect, it } from "vitest";
import { hasStatement, splitStatements } from "./index.ts";

describe("splitStatements", () => {
  it("splits at ; and keeps the unfinished rest", () => {
    expect(splitStatements("SELECT a FROM t;\nUPDATE t SET a = 1\n  WHERE id = 'x'; DELETE FROM t WHERE")).toEqual({
      statements: [
        { text: "SELECT a FROM t", line: 1 },
        { text: "UPDATE t SET a = 1\n  WHERE id = 'x'", line: 2 },
      ],
      rest: " DELETE FROM t WHERE",
    });
  });

  it("a ; inside a literal, a quoted name or a comment ends nothing", () => {
    const script = `INSERT INTO t (id, "a;b") VALUES ('x;y', 'it''s;') -- no; end\n/* nor; here */;`;
    expect(splitStatements(script).statements).toEqual([{ text: script.slice(0, -1), line: 1 }]);
    expect(splitStatements("SELECT 'open; literal").statements).toEqual([]);
  });

  it("statements of blanks and comments only are left out; a comment before a statement is part of it", () => {
    expect(splitStatements(";;\n-- a comment;\n\n  SELECT a FROM t;\n/* x; */;\n\nSELECT b FROM t;").statements).toEqual([
      { text: "-- a comment;\n\n  SELECT a FROM t", line: 2 },
      { text: "SELECT b FROM t", line: 7 },
    ]);
    expect(hasStatement("  -- only a comment\n/* and this */ ")).toBe(false);
    expect(hasStatement("'a literal'")).toBe(true);
  });
});
