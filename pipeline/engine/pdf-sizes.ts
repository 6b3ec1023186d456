/**
 * The PDF sizes a build has learnt, as outputs read them. An output states the size of the PDFs
 * it links (an enclosure's length, a page's "PDF, 64 kB"), so it must be made after them: it
 * declares which articles' sizes it reads (PlannedFile.articles; an article page, its own), the
 * build makes it once those are known, and while it is made it can read those and no other.
 * Reading an undeclared one throws: a missing declaration is a bug found at once, never an
 * enclosure silently left out.
 */
import type { Article } from '../model/article.ts';

export class DeclaredPdfSizes extends Map<string, number> {
  #reader: string | null = null;
  #declared: ReadonlySet<string> = new Set();

  /** Whether every one of `articles` has its size. */
  known(articles: readonly Article[]): boolean {
    return articles.every((article) => super.has(article.slug));
  }

  /** What `make` returns, made by `reader` with the sizes of `articles` readable. */
  reading<T>(reader: string, articles: readonly Article[], make: () => T): T {
    const [previous, previousDeclared] = [this.#reader, this.#declared];
    this.#reader = reader;
    this.#declared = new Set(articles.map((article) => article.slug));
    try {
      return make();
    } finally {
      this.#reader = previous;
      this.#declared = previousDeclared;
    }
  }

  override get(slug: string): number | undefined {
    if (!this.#declared.has(slug)) throw new Error(`${this.#reader ?? 'an output made outside the build'} read the PDF size of “${slug}” without declaring it`);
    return super.get(slug);
  }
}
