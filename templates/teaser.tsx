/** An article as a list shows it: headline link, date, summary, byline, the PDF. */
import type { Element, ElementContent } from 'hast';
import type { TeaserView } from './views.ts';
import { machineDate } from './format.ts';
import { labelsFor } from './labels.ts';

export interface TeaserOptions {
  /** The front page's top story, set bigger. */
  readonly lead: boolean;
  /** Language and direction of the page the list is on: the labels and dates are in it. */
  readonly page: { readonly lang: string; readonly dir: 'ltr' | 'rtl'; readonly timeZone: string };
}

/**
 * What makes a teaser's node for a list page: `teaser` itself, or a stand-in that gives the
 * same bytes (the build serialises each teaser once and splices it in, `pipeline/outputs/html.ts`).
 */
export type TeaserRenderer = (article: TeaserView, options: TeaserOptions) => ElementContent;

/**
 * Headlines are `<h2>`: every list sits under its page's `<h1>`. An article in another
 * language than the page is marked so (lang, dir), and its meta line, which is the page's
 * labels and dates, is marked back.
 */
export function teaser(article: TeaserView, options: TeaserOptions): Element {
  const foreign = article.lang !== options.page.lang;
  const labels = labelsFor(options.page.lang, options.page.timeZone);
  return (
    <article class={options.lead ? 'teaser teaser-lead' : 'teaser'} lang={foreign ? article.lang : undefined} dir={foreign ? article.dir : undefined}>
      {article.tags[0] ? <p class="kicker">{article.tags[0].label}</p> : null}
      <h2 class="teaser-headline" dir="auto">
        <a href={article.href}>{article.title}</a>
      </h2>
      <p class="teaser-summary" dir="auto">
        {article.summary}
      </p>
      <p class="teaser-meta" lang={foreign ? options.page.lang : undefined} dir={foreign ? options.page.dir : undefined}>
        {/* <bdi>: a name in another script must not reorder the separators around it. */}
        <bdi class="author">{article.author}</bdi>
        {' · '}
        <time datetime={machineDate(article.published)}>{labels.date(article.published)}</time>
        {' · '}
        {labels.readingTime(article.readingMinutes)}
        {' · '}
        <a class="pdf-link" href={article.pdf.href} type={article.pdf.type}>
          {labels.pdfLabel(article.pdf.bytes)}
          {/* Every list item has a PDF link; the hidden title tells them apart for screen readers. */}
          <span class="visually-hidden">
            {': '}
            <bdi>{article.title}</bdi>
          </span>
        </a>
      </p>
    </article>
  ) as Element;
}
