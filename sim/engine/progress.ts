/**
 * Where a run stands: past `duration` or not, and when a replica last changed. The two facts
 * several parts read and one writes — the sync modes stamp `lastChange` on every change, the
 * final phase sets `final` — so they live in one small object the simulator hands to exactly
 * those parts, instead of as fields of the simulator every collaborator could reach.
 */
export class Progress {
  /** Last time any replica's state or knowledge changed (for convergedAtMs). */
  lastChange = 0;
  /** True once `duration` is over: timers stop, only deliveries run, writes sync at once. */
  final = false;
}
