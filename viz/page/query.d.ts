/** Types for query.js (plain JS so the page can inline it verbatim; see there). */
export declare const PAST: 1, FUTURE: 2;
export declare function causalCone(ev: { lane: ArrayLike<number>; src: ArrayLike<number> }, i: number): Uint8Array;
export declare function laneLists(ev: { lane: ArrayLike<number> }, lanes: number): Int32Array[];
export declare function lastAt(list: Int32Array, times: ArrayLike<number>, t: number): number;
export declare function firstFrom(times: ArrayLike<number>, t: number): number;
export declare function stateAt(lists: Int32Array[], times: ArrayLike<number>, t: number): number[];
export declare function placeLabels(count: number, lane: (j: number) => number, rank: (j: number) => number, left: (j: number) => number, width: (j: number) => number): number[];
export declare function clockAt(lane: { label: string; clockChanges?: { t: number; label: string }[] }, t: number): { label: string; since: number | null };
export declare function textOf(tab: { prev: ArrayLike<number>; p: ArrayLike<number>; s: ArrayLike<number>; mid: ArrayLike<string> | ((i: number) => string) }, i: number): string;
