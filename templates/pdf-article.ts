/**
 * The print edition's page structure: what an article's PDF says, in which order, in which
 * style and with how much space: the masthead, the kicker, headline, standfirst and byline
 * block, the body, and the end matter (credit, the web edition, related articles, topics).
 * The typesetting code (pipeline/outputs/pdf/) turns the blocks into pages; the styles, fonts
 * and sizes are the theme's (pdf-theme.ts).
 */
import type { Article } from '../pipeline/model/article.ts';
import { standfirstOf } from '../pipeline/model/lede.ts';
import type { PdfSettings } from '../pipeline/model/site.ts';
import type { RelatedLink } from '../pipeline/outputs/article-view.ts';
import type { BlockWriter, StructNode } from '../pipeline/outputs/pdf/blocks.ts';
import { labelsFor } from './labels.ts';
import { datelineRunIn } from './dateline.ts';

/** A letter that has an upper and a lower case form: only such text can be set in small capitals. */
const CASED_LETTER = /[\p{Lu}\p{Ll}\p{Lt}]/u;

/** What the print edition shows of an article beyond its text. */
export interface PdfArticleView {
  readonly article: Article;
  readonly site: PdfSettings;
  /** The article's page on the web, absolute. */
  readonly pageUrl: string;
  /** Its related items as the edition links them (article-view.ts). */
  readonly related: readonly RelatedLink[];
}

export function pdfArticle({ article, site, pageUrl, related }: PdfArticleView, page: BlockWriter): void {
  const { theme, root } = page;
  const { styles, spacing, layout, colors } = theme;
  // The PDF is the article's: every label in its language, its dates in the site's time zone.
  const labels = labelsFor(article.lang, site.timeZone);

  // Masthead: the publication's name over a heavy rule, as on a newspaper's front page. It is
  // page furniture (an artifact), like the running header on the pages after it.
  page.text(page.plain(site.title, styles.kicker), styles.kicker, null, { before: 0, after: 4 });
  page.rule(layout.ruleWidth * 3, colors.text, { before: 0, after: 12 });
  const section = article.tags[0];
  if (section) page.text(page.plain(section, styles.kicker), styles.kicker, { tag: 'P', parent: root }, spacing.kicker);
  page.text(page.plain(article.title, styles.headline), styles.headline, { tag: 'H1', parent: root }, spacing.headline, {
    align: 'balanced',
    keepWithNext: true,
    outline: { level: 1, title: article.title },
  });
  const standfirst = standfirstOf(article);
  if (standfirst) page.text(page.plain(standfirst, styles.standfirst), styles.standfirst, { tag: 'P', parent: root }, spacing.standfirst, { hyphenate: true });
  page.rule(layout.ruleWidth, colors.rule, { before: 0, after: 5 });
  const separator = ` ${layout.separator} `;
  // "By Jane Doe, Associated Press Writer · 13 September 2023 · 2 min read"
  const author = article.authorTitle ? labels.list([labels.bylineText(article.author), article.authorTitle]) : labels.bylineText(article.author);
  const byline = `${author}${separator}${labels.date(article.date)}${separator}${labels.readingTime(article.readingMinutes)}`;
  page.text(page.plain(byline, styles.byline), styles.byline, { tag: 'P', parent: root }, { before: 0, after: 5 });
  page.rule(layout.ruleWidth, colors.rule, { before: 0, after: spacing.byline.after });

  // The lede opens with the dateline, run in: in capitals a size smaller (small capitals, as
  // the web page sets it), then the language's dash. (No drop cap in print.) A dateline in a
  // script without capitals (Arabic, Hindi, Thai, Japanese) is set in bold at the body's
  // size: made smaller and spaced out it would be small print, not small capitals.
  const dateline = article.dateline ? datelineRunIn(article.dateline, article.lang) : null;
  const cased = dateline !== null && CASED_LETTER.test(dateline.text);
  const datelineStyle = cased ? { ...styles.body, bold: true, uppercase: true, size: styles.body.size * 0.86, tracking: 0.04 } : { ...styles.body, bold: true };
  page.body(article.body.children, dateline ? [...page.plain(dateline.text, datelineStyle), ...(dateline.separator ? page.plain(dateline.separator, styles.body) : [])] : []);

  // End matter: credit, the web edition, related articles, topics; short, so kept on one page
  // (not a related article alone overleaf).
  const endMatter: StructNode = { tag: 'Sect', parent: root };
  page.keptTogether(() => {
    page.rule(layout.ruleWidth, colors.rule, { before: spacing.endMatter.before, after: 8 }, 'short');
    if (article.credit) page.text(page.plain(article.credit, styles.credit), styles.credit, { tag: 'P', parent: endMatter }, { before: 0, after: 6 }, { hyphenate: true });
    page.text([...page.plain(`${labels.messages.readOnline} `, styles.endMatter), ...page.plain(pageUrl, page.linkStyle(styles.endMatter), pageUrl)], styles.endMatter, { tag: 'P', parent: endMatter }, { before: 0, after: 6 });
    if (related.length > 0) {
      page.text(page.plain(labels.messages.related, styles.endHeading), styles.endHeading, { tag: 'H2', parent: endMatter }, { before: 8, after: 3 }, {
        keepWithNext: true,
        outline: { level: 2, title: labels.messages.related },
      });
      const list: StructNode = { tag: 'L', parent: endMatter };
      for (const { title, url } of related) {
        const item: StructNode = { tag: 'LI', parent: list };
        const runs = url ? page.plain(title, page.linkStyle(styles.endMatter), url) : page.plain(title, styles.endMatter);
        page.text(runs, styles.endMatter, { tag: 'LBody', parent: item }, { before: 0, after: 2 }, {
          indent: layout.listIndent,
          label: { runs: page.plain(layout.bullet, styles.endMatter), struct: { tag: 'Lbl', parent: item } },
        });
      }
    }
    if (article.tags.length > 0) page.text(page.plain(`${labels.messages.topicsLabel} ${labels.list(article.tags)}`, styles.byline), styles.byline, { tag: 'P', parent: endMatter }, { before: 8, after: 0 });
  });
}

/** The running footer of every page: `page 2 of 3`, in the article's language. */
export function pdfPageFooter(lang: string, page: number, count: number): string {
  return labelsFor(lang).pageOf(page, count);
}
