/**
 * One font as embedded in one PDF: a TrueType subset as a CIDFontType2 with a ToUnicode map.
 *
 * PDFKit embeds fonts too, but numbers glyphs by glyph id and maps each id to the characters
 * of its first use. That loses text whenever one glyph stands for several strings (the space
 * glyph for U+0020 and U+00A0, the emoji glyph for 👍 and 👍🏽) and, with fontkit's shared glyph
 * cache, makes the map depend on what the process rendered before. Here a character code (CID)
 * is allocated per (glyph, text) pair and a CIDToGIDMap points codes at glyphs, so every glyph
 * drawn maps back to exactly the characters it was drawn for.
 */
import { createHash } from 'node:crypto';
import { pdfObject, type PdfKitDocument, type PdfObject } from './document.ts';
import type { Face } from './fonts.ts';
import type { FontkitSubset } from './fontkit.ts';
import type { ShapedGlyph } from './shaping.ts';

/** Two-byte codes: 0 is .notdef, which is never drawn (PDF/A forbids it). */
const MAX_CID = 0xffff;

export class EmbeddedFont {
  readonly face: Face;
  /** Name in page resources (`/GF1`). */
  readonly resourceName: string;
  /** The Type0 font dictionary; written by `embed()`. */
  readonly dictionary: PdfObject;
  readonly #doc: PdfKitDocument;
  readonly #subset: FontkitSubset;
  readonly #index: number;
  readonly #cids = new Map<string, number>();
  readonly #cidGlyphs: number[] = [0];
  readonly #cidWidths: number[];
  readonly #cidTexts: string[] = [''];

  constructor(doc: PdfKitDocument, face: Face, index: number) {
    this.#doc = doc;
    this.face = face;
    this.#index = index;
    this.resourceName = `GF${index}`;
    this.#subset = face.font.createSubset();
    this.#cidWidths = [this.#width(face.font.getGlyph(0).advanceWidth)];
    this.dictionary = pdfObject(doc);
  }

  #width(advance: number): number {
    return Math.round(advance * this.face.unitScale * 1000 * 1000) / 1000;
  }

  /** The character code that draws `glyph` and maps back to its text. */
  cid(glyph: ShapedGlyph): number {
    const key = `${glyph.id}\u0000${glyph.text}`;
    let cid = this.#cids.get(key);
    if (cid === undefined) {
      cid = this.#cidGlyphs.length;
      if (cid > MAX_CID) throw new Error(`font ${this.face.file}: more than ${MAX_CID} distinct glyph/text pairs in one document`);
      this.#cids.set(key, cid);
      this.#cidGlyphs.push(this.#subset.includeGlyph(glyph.id));
      this.#cidWidths.push(this.#width(glyph.nominal));
      this.#cidTexts.push(glyph.text);
    }
    return cid;
  }

  /** Width the PDF states for a code, in text space thousandths (what TJ adjusts against). */
  widthOf(cid: number): number {
    return this.#cidWidths[cid] ?? 0;
  }

  get used(): boolean {
    return this.#cidGlyphs.length > 1;
  }

  /** Writes the font program, descriptor, CID font, code→glyph map and ToUnicode map. */
  embed(): void {
    const font = this.face.font;
    const scale = this.face.unitScale * 1000;
    const fontFile = pdfObject(this.#doc);
    fontFile.end(this.#subset.encode());

    const familyClass = (font['OS/2']?.sFamilyClass ?? 0) >> 8;
    let flags = 1 << 2; // symbolic: the codes are not a standard encoding
    if (font.post.isFixedPitch) flags |= 1 << 0;
    if (familyClass >= 1 && familyClass <= 7) flags |= 1 << 1;
    if (font.head.macStyle.italic) flags |= 1 << 6;
    const baseFont = `${this.#subsetTag()}+${font.postscriptName.replaceAll(/[^!-~]|[()<>[\]{}/%#]/g, '_')}`;
    const descriptor = pdfObject(this.#doc, {
      Type: 'FontDescriptor',
      FontName: baseFont,
      Flags: flags,
      FontBBox: [font.bbox.minX * scale, font.bbox.minY * scale, font.bbox.maxX * scale, font.bbox.maxY * scale],
      ItalicAngle: font.italicAngle,
      Ascent: font.ascent * scale,
      Descent: font.descent * scale,
      CapHeight: (font.capHeight || font.ascent) * scale,
      XHeight: (font.xHeight || 0) * scale,
      StemV: 0,
      FontFile2: fontFile,
    });
    descriptor.end();

    const cidToGid = new Uint8Array(this.#cidGlyphs.length * 2);
    this.#cidGlyphs.forEach((gid, cid) => {
      cidToGid[cid * 2] = gid >> 8;
      cidToGid[cid * 2 + 1] = gid & 0xff;
    });
    const cidToGidMap = pdfObject(this.#doc);
    cidToGidMap.end(cidToGid);

    const descendant = pdfObject(this.#doc, {
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: baseFont,
      CIDSystemInfo: { Registry: new String('Adobe'), Ordering: new String('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      W: [0, this.#cidWidths],
      CIDToGIDMap: cidToGidMap,
    });
    descendant.end();

    const toUnicode = pdfObject(this.#doc);
    toUnicode.end(this.#toUnicodeCMap());

    this.dictionary.data = {
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: baseFont,
      Encoding: 'Identity-H',
      DescendantFonts: [descendant],
      ToUnicode: toUnicode,
    };
    this.dictionary.end();
  }

  /** Six capitals naming the subset (PDF 9.6.4), derived from the face and its order in the file. */
  #subsetTag(): string {
    const digest = createHash('sha256').update(`${this.face.key}#${this.#index}`).digest();
    return Array.from(digest.subarray(0, 6), (byte) => String.fromCharCode(65 + (byte % 26))).join('');
  }

  #toUnicodeCMap(): string {
    const entries: string[] = [];
    for (let cid = 1; cid < this.#cidTexts.length; cid++) {
      entries.push(`<${hex4(cid)}> <${utf16Hex(this.#cidTexts[cid] ?? '')}>`);
    }
    const blocks: string[] = [];
    // A bfchar block holds at most 100 entries (Adobe TN 5411).
    for (let start = 0; start < entries.length; start += 100) {
      const chunk = entries.slice(start, start + 100);
      blocks.push(`${chunk.length} beginbfchar\n${chunk.join('\n')}\nendbfchar`);
    }
    return [
      '/CIDInit /ProcSet findresource begin',
      '12 dict begin',
      'begincmap',
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
      '/CMapName /Adobe-Identity-UCS def',
      '/CMapType 2 def',
      '1 begincodespacerange',
      '<0000> <FFFF>',
      'endcodespacerange',
      ...blocks,
      'endcmap',
      'CMapName currentdict /CMap defineresource pop',
      'end',
      'end',
    ].join('\n');
  }
}

function hex4(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, '0');
}

function utf16Hex(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index++) out += hex4(text.charCodeAt(index));
  return out;
}
