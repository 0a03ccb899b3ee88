/**
 * `memoconductor explore --crdt <name|module>`: swarm-test a CRDT over many seeds. Exit 0 when
 * every seed passes every check; on the first failing seed, shrink it, write
 * `<out>/explore/<crdt>/<seed>.scenario.json` (plus the original and shrunk runs and a page
 * comparing them), print the `memoconductor run` command that replays it, and exit 1.
 * Exit 2 with one line for bad input (unknown CRDT, broken module, bad flag).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { detailOf, explore, type ExploreResult, parseShard, resolveTarget, type Scenario, scenarioSize, specFor, TargetError, targetRef } from "../sim/index.ts";
import { writeComparePage } from "./explore-compare.ts";
import { shownPath } from "./format.ts";
import { EXIT, errorLine, type ExitCode, type Io } from "./io.ts";
import { progress } from "./progress.ts";

export type ExploreCliOptions = { crdt: string; runs?: number; jobs?: number; shard?: string; seed?: number; json: boolean; out: string };

const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, "-") || "crdt";

export async function exploreCommand(o: ExploreCliOptions, io: Io): Promise<ExitCode> {
  let shard;
  let target;
  try {
    shard = o.shard === undefined ? undefined : parseShard(o.shard);
    target = await resolveTarget(targetRef(o.crdt));
  } catch (e) {
    io.err(`memoconductor explore: ${e instanceof TargetError || e instanceof RangeError ? e.message : errorLine(e)}\n`);
    return EXIT.badInput;
  }
  const dir = resolve(o.out, "explore", safe(target.crdt.name));
  const bar = progress(!o.json);
  let result: ExploreResult;
  try {
    result = await explore(o.crdt, {
      ...(o.runs === undefined ? {} : { runs: o.runs }),
      ...(o.seed === undefined ? {} : { seed: o.seed }),
      ...(o.jobs === undefined ? {} : { jobs: o.jobs }),
      ...(shard ? { shard } : {}),
      scenarioDir: dir,
      onProgress: (done, total) => bar.step(done, total, `seeds of ${target.crdt.name}`),
    });
  } catch (e) {
    bar.done();
    io.err(`memoconductor explore: ${errorLine(e)}\n`);
    return EXIT.badInput;
  } finally {
    bar.done();
  }
  const f = result.failure;
  const range = `seeds ${result.firstSeed}..${result.firstSeed + (o.runs ?? result.planned) - 1}${shard && shard.count > 1 ? `, shard ${shard.index}/${shard.count}` : ""}`;
  if (!f) {
    if (o.json)
      io.out(
        JSON.stringify({
          crdt: result.crdt,
          ok: true,
          runs: result.runs,
          planned: result.planned,
          firstSeed: result.firstSeed,
          shard: `${result.shard.index}/${result.shard.count}`,
        }) + "\n",
      );
    else io.out(`✓ ${result.crdt}: ${result.runs} random scenarios (${range}), every check passed\n`);
    return EXIT.ok;
  }
  mkdirSync(dir, { recursive: true });
  const scenarioFile = join(dir, `${f.seed}.scenario.json`);
  const shrunk = f.shrunk?.scenario ?? f.original;
  writeFileSync(scenarioFile, JSON.stringify(shrunk, null, 2) + "\n");
  // The run directories replay from anywhere: their scenario.json names a module by absolute path.
  const portable = (sc: Scenario): Scenario => ({ ...sc, crdt: specFor(result.target) });
  const replay = `npx memoconductor run ${shownPath(scenarioFile)}`;
  const compare = writeComparePage(
    join(dir, String(f.seed)),
    target.crdt,
    { title: `original: seed ${f.seed}, ${scenarioSize(f.original).steps} steps on ${f.original.nodes.length} nodes`, scenario: portable(f.original) },
    { title: `shrunk: ${scenarioSize(shrunk).steps} steps on ${shrunk.nodes.length} nodes`, scenario: portable(shrunk) },
    replay,
  );
  if (o.json) {
    io.out(
      JSON.stringify({
        crdt: result.crdt,
        ok: false,
        runs: result.runs,
        planned: result.planned,
        firstSeed: result.firstSeed,
        shard: `${result.shard.index}/${result.shard.count}`,
        failure: {
          seed: f.seed,
          check: f.check,
          failed: f.failed,
          detail: f.detail,
          original: scenarioSize(f.original),
          shrunk: { ...scenarioSize(shrunk), runs: f.shrunk?.runs ?? 0, detail: f.shrunk ? detailOf(f.shrunk.verdict, f.check) : f.detail },
          scenarioFile: shownPath(scenarioFile),
          compare: shownPath(compare),
          replay,
        },
      }) + "\n",
    );
  } else {
    const a = scenarioSize(f.original);
    const b = scenarioSize(shrunk);
    io.out(
      [
        `✗ ${result.crdt}: seed ${f.seed} fails ${f.failed.join(", ")} (after ${result.runs} of ${result.planned} scenarios; ${range})`,
        `  ${f.detail}`,
        `  shrunk ${a.steps} steps on ${a.nodes} nodes → ${b.steps} steps (${b.ops} ops, ${b.faults} faults) on ${b.nodes} nodes in ${f.shrunk?.runs ?? 0} runs; "${f.check}" still fails (${f.signature}):`,
        `  ${f.shrunk ? detailOf(f.shrunk.verdict, f.check) : f.detail}`,
        `  scenario  ${shownPath(scenarioFile)}`,
        `  compare   ${shownPath(compare)}`,
        `  replay    ${replay}`,
      ].join("\n") + "\n",
    );
  }
  return EXIT.failed;
}
