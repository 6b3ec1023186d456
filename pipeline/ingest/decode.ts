/**
 * Raw bytes → text, or a located reason why the file is not a text article. Wire copy comes
 * as UTF-8 with or without a BOM and with CRLF or LF line ends; anything else is refused here
 * rather than turned into a garbled or empty article.
 */

export type Decoded =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: string; readonly line?: number; readonly column?: number };

/** Line and column (1-based, in characters) of byte `offset` of valid UTF-8 `bytes`. */
function placeOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: [...(lines.at(-1) ?? '')].length + 1 };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return -1;
}

export function decodeRaw(bytes: Uint8Array): Decoded {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return { ok: false, reason: 'contains NUL bytes: this is a binary file, not a text article', ...placeOfByte(bytes, firstValidPrefix(bytes, nul)) };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const hex = [...bytes.subarray(at, at + 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    return { ok: false, reason: `is not valid UTF-8 (bytes ${hex} at byte ${at}); re-save the file as UTF-8`, ...placeOfByte(bytes, at) };
  }
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') {
    return { ok: false, reason: bytes.length === 0 ? 'is empty: there is no article to publish' : 'holds only whitespace: there is no article to publish' };
  }
  return { ok: true, text };
}

/** `offset`, or the start of the invalid sequence before it, so the place is computed on valid text. */
function firstValidPrefix(bytes: Uint8Array, offset: number): number {
  const invalid = firstInvalidUtf8(bytes.subarray(0, offset));
  return invalid >= 0 ? invalid : offset;
}
