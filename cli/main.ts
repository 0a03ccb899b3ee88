/** Entry point: `tsx cli/main.ts <command>` (npm start) and, through cli/bin.js, `memoconductor`. */
import { runCli } from "./program.ts";

process.exitCode = await runCli(process.argv.slice(2));
