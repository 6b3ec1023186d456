/**
 * Forms for machines, the same in every language: what `<time datetime>` and JSON-LD carry.
 * Everything a reader reads (dates, sizes, reading times) is in labels.ts, in their language.
 */

/** `2023-09-11T12:00:00Z`: what `<time datetime>` carries. */
export function machineDate(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** `48 KB`, `1.2 MB`: schema.org's contentSize (binary units, never below 1 KB). */
export function fileSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
