/**
 * One timeline page built from a trace file (`argv[2]`) into `argv[3]`, as `memoconductor viz`
 * builds it: the trace streamed into the layout, the page packed. Prints one JSON line: marks,
 * arrows, layout and page-build wall time, page bytes, this process's peak RSS. Run in a child
 * process by the viz suite, so each size's peak memory is its own.
 */
import { writeFileSync } from "node:fs";
import { layoutRun } from "../viz/layout/layout.ts";
import { renderTimelineHtml } from "../viz/render/html.ts";
import { streamTraceFile } from "../viz/trace.ts";

const [file, out] = [process.argv[2]!, process.argv[3]!];
let t = performance.now();
const trace = streamTraceFile(file);
if ("over" in trace) throw new Error(`${file}: over ${trace.over} events`);
const model = layoutRun({ trace });
const layoutMs = performance.now() - t;
t = performance.now();
const html = renderTimelineHtml(model);
writeFileSync(out, html);
process.stdout.write(
  JSON.stringify({
    marks: model.ev.t.length,
    arrows: model.arrows.s.length,
    layoutMs,
    pageMs: performance.now() - t,
    pageBytes: Buffer.byteLength(html),
    maxRssKb: process.resourceUsage().maxRSS,
  }) + "\n",
);
