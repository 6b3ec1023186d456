/** An article as a list shows it: headline link, date, summary, byline, the PDF. */
import type { Element } from 'hast';
import type { TeaserView } from './views.ts';
import { displayDate, machineDate, pdfLabel, readingTime } from './format.ts';

/**
 * `lead` is the front page's top story, set bigger. Headlines are `<h2>`: every list sits under
 * its page's `<h1>`. `lang` is marked only where it differs from the page's.
 */
export function teaser(article: TeaserView, options: { lead: boolean; pageLang: string }): Element {
  const lang = article.lang === options.pageLang ? undefined : article.lang;
  return (
    <article class={options.lead ? 'teaser teaser-lead' : 'teaser'} lang={lang}>
      {article.tags[0] ? <p class="kicker">{article.tags[0].label}</p> : null}
      <h2 class="teaser-headline" dir="auto">
        <a href={article.href}>{article.title}</a>
      </h2>
      <p class="teaser-summary" dir="auto">
        {article.summary}
      </p>
      <p class="teaser-meta">
        <span class="author">{article.author}</span>
        {' · '}
        <time datetime={machineDate(article.published)}>{displayDate(article.published, article.lang)}</time>
        {' · '}
        {readingTime(article.readingMinutes)}
        {' · '}
        <a class="pdf-link" href={article.pdf.href} type="application/pdf">
          {pdfLabel(article.pdf.bytes)}
          {/* Every list item has a PDF link; the hidden title tells them apart for screen readers. */}
          <span class="visually-hidden">: {article.title}</span>
        </a>
      </p>
    </article>
  ) as Element;
}
