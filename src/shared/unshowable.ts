/**
 * The characters that have no place in one line of text shown to a user: C0 and C1 controls, DEL,
 * bidi embeddings/overrides/isolates, zero-width and line/paragraph separators. Several can disguise
 * what a line says. As the inside of a regular expression's character class.
 */
export const UNSHOWABLE_CHARS = String.raw`\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff`
