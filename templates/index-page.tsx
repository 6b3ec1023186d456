/**
 * The front page: the newest article as the lead, the others below it, newest first, and a
 * box that leads to the feeds page.
 */
import type { Element, Root } from 'hast';
import type { IndexPageView } from './views.ts';
import { layout, pager } from './layout.tsx';
import { teaser, type TeaserRenderer } from './teaser.tsx';
import { labelsFor } from './labels.ts';

const MAIN_ID = 'content';

/** `renderTeaser` makes each teaser's node (the template's own `teaser` unless told otherwise). */
export function indexPage(view: IndexPageView, renderTeaser: TeaserRenderer = teaser): Root {
  const [lead, ...rest] = view.articles;
  const page = { lang: view.page.lang, dir: view.page.dir, timeZone: view.page.site.timeZone };
  const { messages } = labelsFor(view.page.lang, view.page.site.timeZone);
  const main = (
    <main id={MAIN_ID} class="front">
      <section class="front-stories" aria-label={messages.latestArticles}>
        {lead ? renderTeaser(lead, { lead: true, page }) : <p class="empty">{messages.nothingPublished}</p>}
        {rest.length > 0 ? <div class="teaser-grid">{rest.map((article) => renderTeaser(article, { lead: false, page }))}</div> : null}
        {pager(view.page.pager)}
        <p class="all-topics">
          <a href={view.topics}>All topics</a>
        </p>
      </section>
      <aside class="subscribe" aria-labelledby="subscribe-heading">
        <h2 id="subscribe-heading">{messages.followTheNews}</h2>
        <p>{messages.feedsExplained}</p>
        <p>
          <a href={view.page.site.feedsPage}>{messages.howToSubscribe}</a>
        </p>
      </aside>
    </main>
  ) as Element;
  return layout(view.page, main, { mainId: MAIN_ID, kind: 'front' });
}
