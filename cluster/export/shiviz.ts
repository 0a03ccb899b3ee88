/**
 * A run's events as a ShiViz log (https://bestchai.bitbucket.io/shiviz/): two lines per event,
 * the host and its vector clock, then what happened; paste the log with SHIVIZ_REGEX as the
 * parser regex. A simulated run's clocks follow its messages (a send ticks the sender, a
 * delivery merges the sender's clock at the send); a cluster run's trace has no messages (they
 * went through the nodes, not the recorder), so each node's clock counts its own events only.
 */
export const SHIVIZ_REGEX = "(?<host>\\S+) (?<clock>\\{.*\\})\\n(?<event>.*)";

type Clock = Record<string, number>;

export function shivizFromTrace(traceLines: readonly string[]): string {
  const clocks = new Map<string, Clock>();
  const atSend = new Map<number, Clock>();
  const out: string[] = [];
  const tick = (host: string, merge?: Clock): Clock => {
    const c: Clock = { ...clocks.get(host) };
    if (merge) for (const [h, n] of Object.entries(merge)) c[h] = Math.max(c[h] ?? 0, n);
    c[host] = (c[host] ?? 0) + 1;
    clocks.set(host, c);
    return c;
  };
  const emit = (host: string, c: Clock, text: string) => out.push(`${host} ${JSON.stringify(c)}`, text);
  for (const line of traceLines) {
    if (line.trim() === "") continue;
    const e = JSON.parse(line) as Record<string, unknown> & { t: number; type: string };
    const t = `t=${e.t}`;
    if (e.type === "send") {
      const from = String(e.from);
      const c = tick(from);
      atSend.set(Number(e.msg), c);
      emit(from, c, `${t} send ${String(e.kind)} #${String(e.msg)} to ${String(e.to)}`);
    } else if (e.type === "deliver") {
      const to = String(e.to);
      const c = tick(to, atSend.get(Number(e.msg)));
      emit(to, c, `${t} deliver #${String(e.msg)} from ${String(e.from)}`);
    } else if (e.type === "update") {
      const node = String(e.node);
      emit(node, tick(node), `${t} ${String(e.op)} ${JSON.stringify(e.args)}`);
    } else if (typeof e.node === "string" && e.type !== "meta") {
      const node = e.node;
      emit(node, tick(node), `${t} ${e.type}${e.event ? ` ${String(e.event)}` : ""}`);
    }
  }
  return out.join("\n") + "\n";
}
