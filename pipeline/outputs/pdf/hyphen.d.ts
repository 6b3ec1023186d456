// The `hyphen` package ships no declarations (they live in @types/hyphen, not installed): these
// describe the two entry points Galley uses.
declare module 'hyphen' {
  interface HyphenatorOptions {
    /** Inserted at each hyphenation point; default U+00AD. */
    readonly hyphenChar?: string;
    /** Words shorter than this are left alone; default 5. */
    readonly minWordLength?: number;
    readonly exceptions?: readonly string[];
  }
  /** Synchronous unless `async: true` is passed (Galley never does). */
  function createHyphenator(patterns: unknown, options?: HyphenatorOptions): (text: string, options?: HyphenatorOptions) => string;
  export = createHyphenator;
}

declare module 'hyphen/patterns/*' {
  /** Liang patterns in the package's own packed form, for `createHyphenator`. */
  const patterns: unknown;
  export = patterns;
}
