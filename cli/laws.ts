/**
 * `memoconductor laws <name|module>`: the CRDT laws on random op histories (sim/laws). Exit 0
 * when they hold, 1 with a minimal counterexample (ops per replica, the differing values, the
 * seed and the replay command), 2 with one line for bad input.
 */
import { checkLaws, formatLawsFailure, resolveTarget, TargetError, targetRef } from "../sim/index.ts";
import { EXIT, errorLine, type ExitCode, type Io } from "./io.ts";

export type LawsCliOptions = { runs?: number; seed?: number; json: boolean };

export async function lawsCommand(arg: string, o: LawsCliOptions, io: Io): Promise<ExitCode> {
  let result;
  try {
    const { crdt } = await resolveTarget(targetRef(arg));
    result = checkLaws(crdt, { ...(o.runs === undefined ? {} : { runs: o.runs }), ...(o.seed === undefined ? {} : { seed: o.seed }) });
  } catch (e) {
    io.err(`memoconductor laws: ${e instanceof TargetError || e instanceof RangeError ? e.message : errorLine(e)}\n`);
    return EXIT.badInput;
  }
  const shown = /\s/.test(arg) ? `'${arg}'` : arg;
  const replay = `npx memoconductor laws ${shown} --seed ${result.seed} --runs ${result.runs}`;
  if (o.json) io.out(JSON.stringify({ ...result, ...(result.failure ? { replay } : {}) }) + "\n");
  else if (result.ok)
    io.out(`✓ ${result.crdt}: ${result.laws.length} laws hold on ${result.runs} random histories (seed ${result.seed}):\n${result.laws.map((l) => `  ✓ ${l}`).join("\n")}\n`);
  else io.out(`✗ ${formatLawsFailure(result, replay)}\n`);
  return result.ok ? EXIT.ok : EXIT.failed;
}
