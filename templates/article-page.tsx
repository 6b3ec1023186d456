/**
 * One article: headline, standfirst, byline, the PDF, the body, then credit, related articles
 * and tags. Semantic HTML5 so readers, reading modes and screen readers find their way.
 */
import type { Element, Root } from 'hast';
import type { ArticlePageView, PdfView, RelatedView, TagView } from './views.ts';
import { layout } from './layout.tsx';
import { displayDate, machineDate, pdfLabel, readingTime } from './format.ts';

export function articlePage(view: ArticlePageView): Root {
  const site = view.page.site;
  const foreign = site.lang !== view.lang;
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
          {/* The meta line is the site's labels and dates: in the site's language even around an article in another. */}
          <div class="story-meta" lang={foreign ? site.lang : undefined} dir={foreign ? site.dir : undefined}>
            <p class="byline">
              By <bdi class="author">{view.author}</bdi>
            </p>
            <p class="dateline">
              <time datetime={machineDate(view.published)}>{displayDate(view.published, site.dateLocale)}</time>
              {view.updated ? (
                <>
                  {' · Updated '}
                  <time datetime={machineDate(view.updated)}>{displayDate(view.updated, site.dateLocale)}</time>
                </>
              ) : null}
              {' · '}
              {readingTime(view.readingMinutes)}
            </p>
            {pdfLink(view.pdf)}
          </div>
        </header>
        <div class="story-body">{view.body}</div>
        {storyFooter(view)}
      </article>
    </main>
  ) as Element;
  return layout(view.page, main, { mainId: view.ids.content, kind: 'inside' });
}

function pdfLink(pdf: PdfView): Element {
  return (
    <p class="story-pdf">
      <a class="pdf-link" href={pdf.href} type={pdf.type}>
        Download PDF <span class="file-meta">({pdfLabel(pdf.bytes)})</span>
      </a>
    </p>
  ) as Element;
}

function storyFooter(view: ArticlePageView): Element | null {
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
          <h2 id={view.ids.related}>Related</h2>
          <ul>{view.related.map(relatedItem)}</ul>
        </section>
      ) : null}
      {view.tags.length > 0 ? (
        <section class="tags" aria-labelledby={view.ids.tags}>
          <h2 id={view.ids.tags}>Topics</h2>
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
