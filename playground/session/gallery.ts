/**
 * The gallery scenarios the page can open (bundled: the page reads no files). Those that run on
 * builtin CRDTs, the naive counter, services and SQL; not the real-library text plugins.
 */
import capPartition from "../../scenarios/cap-partition.json" with { type: "json" };
import crmAliceBob from "../../scenarios/crm-alice-bob.json" with { type: "json" };
import invoicePartition from "../../scenarios/invoice-sequencer-partition.json" with { type: "json" };
import lwwHlc from "../../scenarios/lww-clock-skew-hlc.json" with { type: "json" };
import lwwPhysical from "../../scenarios/lww-clock-skew-physical.json" with { type: "json" };
import bothPhones from "../../scenarios/mv-register-both-phones.json" with { type: "json" };
import orSetAddWins from "../../scenarios/or-set-add-wins.json" with { type: "json" };
import pnDuplication from "../../scenarios/pn-counter-duplication.json" with { type: "json" };
import rampAtomic from "../../scenarios/ramp-atomic-reads.json" with { type: "json" };
import rampFractured from "../../scenarios/ramp-fractured-reads-naive.json" with { type: "json" };
import twoPhaseSet from "../../scenarios/two-phase-set-no-readd.json" with { type: "json" };
import youtube from "../../scenarios/youtube-view-counter.json" with { type: "json" };
import youtubeNaive from "../../scenarios/youtube-view-counter-naive.json" with { type: "json" };

/** Scenario files as parsed JSON, by name; the loader validates whichever is opened. */
export const GALLERY: { name: string; scenario: unknown }[] = [
  youtubeNaive,
  youtube,
  lwwPhysical,
  lwwHlc,
  bothPhones,
  twoPhaseSet,
  orSetAddWins,
  capPartition,
  crmAliceBob,
  pnDuplication,
  invoicePartition,
  rampFractured,
  rampAtomic,
].map((s) => {
  // The file's "$schema" points next to it; a session exported from the page stands alone.
  const { $schema: _schema, ...scenario } = s as { $schema?: string; name: string };
  return { name: scenario.name, scenario };
});
