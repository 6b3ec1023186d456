/** A page of older articles below the front page, newest first, with links to its neighbours. */
import type { Element, Root } from 'hast';
import type { OlderPageView } from './views.ts';
import { layout, pager } from './layout.tsx';
import { teaser, type TeaserRenderer } from './teaser.tsx';

const MAIN_ID = 'content';

/** `renderTeaser` makes each teaser's node (the template's own `teaser` unless told otherwise). */
export function olderPage(view: OlderPageView, renderTeaser: TeaserRenderer = teaser): Root {
  const page = { lang: view.page.lang, dir: view.page.dir, timeZone: view.page.site.timeZone };
  const main = (
    <main id={MAIN_ID} class="topic">
      <header class="topic-header">
        <p class="kicker">Archive</p>
        <h1>{view.heading}</h1>
        <p class="page-number">Page {String(view.number)}, counted from the oldest articles</p>
      </header>
      <section class="front-stories" aria-label={view.heading}>
        {view.articles.map((article) => renderTeaser(article, { lead: false, page }))}
        {pager(view.page.pager)}
      </section>
    </main>
  ) as Element;
  return layout(view.page, main, { mainId: MAIN_ID, kind: 'inside' });
}
