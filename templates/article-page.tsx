/**
 * One article: headline, standfirst, byline, the PDF, the body, then credit, related articles
 * and tags. Semantic HTML5 so readers, reading modes and screen readers find their way.
 */
import type { Element, Root } from 'hast';
import type { ArticlePageView, PdfView, RelatedView, TagView } from './views.ts';
import { layout } from './layout.tsx';
import { machineDate } from './format.ts';
import { labelsFor, type Labels } from './labels.ts';
import { openLede } from './lede.tsx';

export function articlePage(view: ArticlePageView): Root {
  const site = view.page.site;
  // Every label of an article's page is in the article's language, as its PDF's are.
  const labels = labelsFor(view.lang, site.timeZone);
  const by = labels.byline();
  const updated = labels.updated();
  // the lede opens with the dateline, else with a drop cap (not in right-to-left scripts)
  openLede(view.body, { dateline: view.dateline, lang: view.lang, dropCap: view.dir === 'ltr' });
  const main = (
    <main id={view.ids.content} class="story-page">
      <article class="story" lang={view.lang} dir={view.dir}>
        <header class="story-header">
          {view.tags[0] ? <p class="kicker">{view.tags[0].label}</p> : null}
          <h1 class="headline" dir="auto">
            {view.title}
          </h1>
          {view.standfirst ? (
            <p class="standfirst" dir="auto">
              {view.standfirst}
            </p>
          ) : null}
          <div class="story-meta">
            <p class="byline">
              {by.before}
              <bdi class="author">{view.author}</bdi>
              {by.after}
              {view.authorTitle ? (
                <>
                  {labels.messages.listSeparator}
                  <bdi class="author-title">{view.authorTitle}</bdi>
                </>
              ) : null}
            </p>
            <p class="dateline">
              <time datetime={machineDate(view.published)}>{labels.date(view.published)}</time>
              {view.updated ? (
                <>
                  {` · ${updated.before}`}
                  <time datetime={machineDate(view.updated)}>{labels.date(view.updated)}</time>
                  {updated.after}
                </>
              ) : null}
              {' · '}
              {labels.readingTime(view.readingMinutes)}
            </p>
            {pdfLink(view.pdf, labels)}
          </div>
        </header>
        <div class="story-body">{view.body}</div>
        {storyFooter(view, labels)}
      </article>
    </main>
  ) as Element;
  return layout(view.page, main, { mainId: view.ids.content, kind: 'inside' });
}

function pdfLink(pdf: PdfView, labels: Labels): Element {
  return (
    <p class="story-pdf">
      <a class="pdf-link" href={pdf.href} type={pdf.type}>
        {labels.messages.downloadPdf} <span class="file-meta">({labels.pdfLabel(pdf.bytes)})</span>
      </a>
    </p>
  ) as Element;
}

function storyFooter(view: ArticlePageView, labels: Labels): Element | null {
  if (!view.credit && view.related.length === 0 && view.tags.length === 0) return null;
  return (
    <footer class="story-footer">
      {view.credit ? (
        <p class="credit" dir="auto">
          {view.credit}
        </p>
      ) : null}
      {view.related.length > 0 ? (
        <section class="related" aria-labelledby={view.ids.related}>
          <h2 id={view.ids.related}>{labels.messages.related}</h2>
          <ul>{view.related.map(relatedItem)}</ul>
        </section>
      ) : null}
      {view.tags.length > 0 ? (
        <section class="tags" aria-labelledby={view.ids.tags}>
          <h2 id={view.ids.tags}>{labels.messages.topics}</h2>
          <ul class="tag-list">{view.tags.map(tagItem)}</ul>
        </section>
      ) : null}
    </footer>
  ) as Element;
}

function relatedItem(related: RelatedView): Element {
  return (<li dir="auto">{related.href ? <a href={related.href}>{related.title}</a> : related.title}</li>) as Element;
}

export function tagItem(tag: TagView): Element {
  return (<li>{tag.href ? <a href={tag.href}>{tag.label}</a> : tag.label}</li>) as Element;
}
