#!/usr/bin/env node
// The static gates of `npm test` (type-check, lint, format, doc comments), run side by side.
//
// Why: each gate is one single-threaded process (tsc alone is ~30 s of CPU), so run one after the
// other they leave the second core idle for most of a minute before vitest starts. Run together
// they finish in about the time of the longest. Each gate's output is held and printed whole
// when it ends, so two gates never interleave their lines; the exit code is the first failure's.
//
// Usage: node scripts/gates.js [name...]   (default: every gate; names as in GATES below)
import { spawn } from "node:child_process";

/** name → npm script; the scripts stay runnable one by one (`npm run typecheck`). */
const GATES = {
  typecheck: "typecheck",
  lint: "lint",
  format: "format:check",
  docs: "docs:check",
};

const asked = process.argv.slice(2);
for (const name of asked) {
  if (!(name in GATES)) {
    console.error(`gates: unknown gate "${name}"; the gates are ${Object.keys(GATES).join(", ")}`);
    process.exit(2);
  }
}
const names = asked.length > 0 ? asked : Object.keys(GATES);

/** Runs one gate, holding its output; resolves with its exit code and wall time. */
function runGate(name) {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", GATES[name]], { stdio: ["ignore", "pipe", "pipe"] });
    const chunks = [];
    child.stdout.on("data", (c) => chunks.push(c));
    child.stderr.on("data", (c) => chunks.push(c));
    child.on("error", (error) => chunks.push(Buffer.from(`${error.message}\n`)));
    child.on("close", (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ name, code: code ?? (signal ? 1 : 0), seconds, output: Buffer.concat(chunks).toString() });
    });
  });
}

const results = await Promise.all(
  names.map((name) =>
    runGate(name).then((result) => {
      const verdict = result.code === 0 ? "passed" : `FAILED (exit ${result.code})`;
      if (result.output.trim() !== "") process.stdout.write(result.output.endsWith("\n") ? result.output : `${result.output}\n`);
      console.log(`gate ${result.name} (npm run ${GATES[result.name]}): ${verdict} in ${result.seconds.toFixed(1)} s`);
      return result;
    }),
  ),
);
const failed = results.filter((r) => r.code !== 0);
if (failed.length > 0) {
  console.error(`gates failed: ${failed.map((r) => r.name).join(", ")}`);
  process.exit(1);
}
