/** Reading a PDF back as a reader does, for the tests of what it shows. */
import { OPS, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * How many glyph outlines (Form XObjects) each artifact section of a page paints: the running
 * header and footer are drawn as outlines (pdf.js gives no text for them), so their words are
 * told apart by length.
 */
export async function artifactGlyphs(doc: PDFDocumentProxy, number: number): Promise<number[]> {
  const operators = await (await doc.getPage(number)).getOperatorList();
  const sections: number[] = [];
  let depth = 0;
  operators.fnArray.forEach((fn, index) => {
    if (fn === OPS.beginMarkedContentProps || fn === OPS.beginMarkedContent) {
      const tag = (operators.argsArray[index] as [string])[0];
      if (depth > 0 || tag === 'Artifact') {
        if (depth === 0) sections.push(0);
        depth++;
      }
    } else if (fn === OPS.endMarkedContent && depth > 0) {
      depth--;
    } else if (fn === OPS.paintFormXObjectBegin && depth > 0) {
      sections[sections.length - 1] = (sections.at(-1) ?? 0) + 1;
    }
  });
  return sections.filter((count) => count > 0);
}
