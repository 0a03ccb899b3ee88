/** Escaping for text put into XML, SVG and HTML (node names and values are user data). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Cuts a label to `n` characters with an ellipsis. */
export const clip = (s: string, n: number): string => (s.length > n ? s.slice(0, n - 1) + "…" : s);
