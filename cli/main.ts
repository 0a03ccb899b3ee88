#!/usr/bin/env node
/** Entry point: the `memoconductor` executable once built (dist/cli/main.js); from the sources `tsx cli/main.ts` or cli/bin.js. */
import { runCli } from "./program.ts";

// `memoconductor list | head`: a reader that stops early closes the pipe; that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await runCli(process.argv.slice(2));
