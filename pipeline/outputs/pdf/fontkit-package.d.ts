// fontkit ships no declarations: the one function Galley imports, its result described in fontkit.ts.
declare module 'fontkit' {
  /** Parses a font file (TrueType, OpenType, WOFF…); a collection needs `postscriptName`. */
  export function create(buffer: Uint8Array, postscriptName?: string): unknown;
}
