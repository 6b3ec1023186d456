// bidi-js's declarations describe its ES module build but are attached to its CommonJS entry,
// where a default import is the whole module.exports; Galley imports the ES build by its path.
declare module 'bidi-js/dist/bidi.mjs' {
  import type { Bidi } from 'bidi-js';
  /** bidi-js's one export: makes the object whose methods run the algorithm. */
  export default function bidiFactory(): Bidi;
}
