/**
 * What timeline.js finds in the page's global scope (viz/render/html.ts inlines d3, then
 * query.js with its `export`s stripped, then timeline.js into one document): for type-checking
 * the page code only (tsconfig.page.json), never shipped.
 */
import type * as D3 from "d3";
import type * as Query from "./query.js";
import type * as Unpack from "./unpack.js";

declare global {
  const d3: typeof D3;
  const PAST: typeof Query.PAST;
  const FUTURE: typeof Query.FUTURE;
  const causalCone: typeof Query.causalCone;
  const laneLists: typeof Query.laneLists;
  const lastAt: typeof Query.lastAt;
  const firstFrom: typeof Query.firstFrom;
  const stateAt: typeof Query.stateAt;
  const clockAt: typeof Query.clockAt;
  const placeLabels: typeof Query.placeLabels;
  const textOf: typeof Query.textOf;
  const unpackPageData: typeof Unpack.unpackPageData;
  interface Window {
    /** The page's hooks for the browser tests and the render benchmark (timeline.js sets them). */
    timeline: unknown;
  }
}
