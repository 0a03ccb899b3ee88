/**
 * Cluster mode (docs/cluster.md): a scenario against real `memoconductor node` processes, with
 * a fault-injecting proxy on every link, kill -9 crashes, SIGSTOP pauses and clock offsets; a
 * recorded history checked with the simulator's check names; and exports of any run's history
 * for Elle and ShiViz.
 */
export { runCluster, ClusterRefused, type ClusterOptions, type ClusterRun } from "./run-cluster.ts";
export { clusterRunFiles, clusterSummary, type ClusterSummary } from "./run-dir.ts";
export { scenarioOfPlan, simulateSchedule } from "./repro.ts";
export { planRun, type Action, type Plan } from "./plan.ts";
export { checkHistory, isUndecided, type CheckInput } from "./checks/index.ts";
export { clusterSupport, CLUSTER_CRDTS, type Support } from "./support.ts";
export type { HistoryEntry } from "./history.ts";
export { elleFromHistory, elleFromTrace, type ElleOp } from "./export/elle.ts";
export { SHIVIZ_REGEX, shivizFromTrace } from "./export/shiviz.ts";
export { awaitListening } from "./await-listening.ts";
