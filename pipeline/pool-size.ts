/**
 * Fewer PDFs than this render in the main thread: a worker's start-up (modules, fonts) costs
 * ~0.3 s. Its own module so the build can decide without loading the PDF code.
 */
export const POOL_THRESHOLD = 6;
