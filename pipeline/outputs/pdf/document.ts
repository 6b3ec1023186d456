/**
 * The PDFKit document Galley writes into, and the two places where it reaches past PDFKit's
 * declared API:
 *
 * - XMP metadata. PDFKit's writer (MetadataMixin `_addInfo`) pastes Title, Author, Subject and
 *   Keywords into the XML unescaped, so a title with `&` or `<` makes the packet invalid XML
 *   (and so the file invalid PDF/A). GalleyPdfDocument overrides that one method with a
 *   writer that escapes every value and states everything PDF/A-2 and PDF/UA-1 require the
 *   XMP to repeat from the document information dictionary.
 * - Indirect objects. `doc.ref()` is public, but @types/pdfkit declares its `data` as a page
 *   resource dictionary; `pdfObject` gives the honest type once, here.
 */
import PDFDocument from 'pdfkit';

/** A PDF indirect object as PDFKit's `doc.ref()` returns it. */
export interface PdfObject {
  data: Record<string, unknown>;
  write(chunk: Uint8Array | string): void;
  end(chunk?: Uint8Array | string): void;
  toString(): string;
}

export type PdfKitDocument = InstanceType<typeof PDFDocument>;

/** `doc.ref(data)`, typed as what it is (see the module comment). */
export function pdfObject(doc: PdfKitDocument, data: Record<string, unknown> = {}): PdfObject {
  return doc.ref(data) as unknown as PdfObject;
}

/** What the XMP packet states; the same values go into the information dictionary. */
export interface DocumentMetadata {
  readonly title: string;
  readonly author: string;
  readonly subject: string;
  readonly keywords: readonly string[];
  readonly lang: string;
  readonly created: Date;
  readonly modified: Date;
  readonly creator: string;
  readonly producer: string;
}

export class GalleyPdfDocument extends PDFDocument {
  readonly #metadata: DocumentMetadata;

  constructor(options: PDFKit.PDFDocumentOptions, metadata: DocumentMetadata) {
    super(options);
    this.#metadata = metadata;
  }

  /**
   * Replaces PDFKit's `_addInfo` (called once from `endMetadata()` while the document ends):
   * the same descriptions, escaped, plus what PDF/A and PDF/UA ask for.
   */
  _addInfo(): void {
    this.appendXML(xmpDescriptions(this.#metadata));
  }
}

/** XML 1.0 text: `&`, `<`, `>` escaped, characters XML cannot carry dropped. */
export function xmlText(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/** `2023-09-11T12:00:00Z`: the same instant PDFKit writes as `D:20230911120000Z` in the Info dictionary. */
export function xmpDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The rdf:Description elements of the packet (PDFKit wraps them in x:xmpmeta/rdf:RDF). */
export function xmpDescriptions(metadata: DocumentMetadata): string {
  const keywords = metadata.keywords.join(', ');
  const lines = [
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    `  <xmp:CreateDate>${xmpDate(metadata.created)}</xmp:CreateDate>`,
    `  <xmp:ModifyDate>${xmpDate(metadata.modified)}</xmp:ModifyDate>`,
    `  <xmp:MetadataDate>${xmpDate(metadata.modified)}</xmp:MetadataDate>`,
    `  <xmp:CreatorTool>${xmlText(metadata.creator)}</xmp:CreatorTool>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '  <dc:format>application/pdf</dc:format>',
    `  <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(metadata.title)}</rdf:li></rdf:Alt></dc:title>`,
    `  <dc:creator><rdf:Seq><rdf:li>${xmlText(metadata.author)}</rdf:li></rdf:Seq></dc:creator>`,
    `  <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(metadata.subject)}</rdf:li></rdf:Alt></dc:description>`,
    ...(metadata.keywords.length > 0 ? [`  <dc:subject><rdf:Bag>${metadata.keywords.map((keyword) => `<rdf:li>${xmlText(keyword)}</rdf:li>`).join('')}</rdf:Bag></dc:subject>`] : []),
    `  <dc:language><rdf:Bag><rdf:li>${xmlText(metadata.lang)}</rdf:li></rdf:Bag></dc:language>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
    `  <pdf:Producer>${xmlText(metadata.producer)}</pdf:Producer>`,
    ...(keywords ? [`  <pdf:Keywords>${xmlText(keywords)}</pdf:Keywords>`] : []),
    '</rdf:Description>',
    // PDF/UA-1 identification. pdfuaid is not one of the schemas PDF/A predefines, so PDF/A
    // requires the packet to describe it in an extension schema (ISO 19005-2, 6.6.2.3).
    '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">',
    '  <pdfuaid:part>1</pdfuaid:part>',
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
    '  <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">',
    '    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>',
    '    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>',
    '    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>',
    '    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">',
    '      <pdfaProperty:name>part</pdfaProperty:name>',
    '      <pdfaProperty:valueType>Integer</pdfaProperty:valueType>',
    '      <pdfaProperty:category>internal</pdfaProperty:category>',
    '      <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>',
    '    </rdf:li></rdf:Seq></pdfaSchema:property>',
    '  </rdf:li></rdf:Bag></pdfaExtension:schemas>',
    '</rdf:Description>',
  ];
  return lines.join('\n');
}
