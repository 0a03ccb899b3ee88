/**
 * junit.xml: one testsuite per run, one testcase per check. A case fails when the check's
 * outcome is not what the scenario expects (a teaching scenario that expects an anomaly passes
 * when the anomaly is caught); a run that met every check but not `expect.value` gets one more
 * failing case, so the XML never says green when the summary says not ok. A cluster run's
 * `approximated` and `notChecked` lines become properties of those names, one per line.
 */
import type { Summary } from "../../sim/run-types.ts";
import { esc } from "./escape.ts";

/** XML 1.0 forbids most control characters even escaped: drop them. */
// eslint-disable-next-line no-control-regex
const xml = (s: string) => esc(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ""));

export function renderJunit(s: Summary): string {
  const cls = `memoconductor.${s.scenario}`;
  const cases = s.checks.map((c) => {
    const name = c.expected ? c.name : `${c.name} (anomaly expected)`;
    const met = c.ok === c.expected;
    const why = c.expected ? "the property did not hold" : "the expected anomaly did not appear";
    const body = met ? `<system-out>${xml(c.detail)}</system-out>` : `<failure message="${xml(`${c.name}: ${why}`)}" type="check">${xml(c.detail)}</failure>`;
    return { met, text: `    <testcase classname="${xml(cls)}" name="${xml(name)}" time="0">${body}</testcase>` };
  });
  if (!s.ok && cases.every((c) => c.met))
    cases.push({
      met: false,
      text: `    <testcase classname="${xml(cls)}" name="expected value" time="0"><failure message="the final value is not the expected one" type="expect.value">${xml(JSON.stringify(s.final))}</failure></testcase>`,
    });
  const failures = cases.filter((c) => !c.met).length;
  // A cluster run's summary also lists what it approximated and which checks it could not decide: as report.md does, so does the XML.
  const listed = (key: "approximated" | "notChecked") =>
    ((s as Summary & Partial<Record<typeof key, string[]>>)[key] ?? []).map((v) => `<property name="${key}" value="${xml(v)}"/>`);
  const extra = [...listed("approximated"), ...listed("notChecked")].join("");
  const head = `name="${xml(s.scenario)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="0"`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites ${head}>`,
    `  <testsuite ${head}>`,
    `    <properties><property name="seed" value="${s.seed}"/><property name="crdt" value="${xml(s.crdt)}"/><property name="traceHash" value="${xml(s.traceHash)}"/>${extra}</properties>`,
    ...cases.map((c) => c.text),
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}
