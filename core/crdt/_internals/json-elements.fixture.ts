/** Test fixture (not shipped API): set elements that stress canonical keys — reordered object keys, -0 versus 0, "__proto__", nesting. */
export const JSON_ELEMENTS: unknown[] = [0, -0, 1.5, "x", "0", null, true, [1, "x"], { a: 1, b: [2] }, { b: [2], a: 1 }, JSON.parse('{"__proto__":1}'), [{ k: null }]];
