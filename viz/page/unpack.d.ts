/** Types for unpack.js (plain JS so the page can inline it verbatim; see there). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export declare function unpackPageData(b64: string): Promise<any>;
