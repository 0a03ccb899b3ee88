/**
 * The sandbox's defaults, in a module of their own: the CLI's entry shows them in `--help`, and
 * importing them from supervise.ts would load the whole simulator (and zod and the SQL parser)
 * before any command runs — a third of a second of start-up for `--help`.
 */

/** Seconds of CPU time a single plugin call (or the plugin's import) may use; `--plugin-timeout` raises it (cli/sandbox/supervise.ts). */
export const DEFAULT_PLUGIN_TIMEOUT_S = 10;
