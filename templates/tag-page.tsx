/** Every article on one topic, newest first. */
import type { Element, Root } from 'hast';
import type { TagPageView } from './views.ts';
import { layout, pager } from './layout.tsx';
import { teaser, type TeaserRenderer } from './teaser.tsx';
import { labelsFor } from './labels.ts';

const MAIN_ID = 'content';

/** `renderTeaser` makes each teaser's node (the template's own `teaser` unless told otherwise). */
export function tagPage(view: TagPageView, renderTeaser: TeaserRenderer = teaser): Root {
  const page = { lang: view.page.lang, dir: view.page.dir, timeZone: view.page.site.timeZone };
  const labels = labelsFor(view.page.lang, view.page.site.timeZone);
  const main = (
    <main id={MAIN_ID} class="topic">
      <header class="topic-header">
        <p class="kicker">{labels.messages.topic}</p>
        <h1 dir="auto">{view.tag}</h1>
        {view.number === null ? null : <p class="page-number">Page {String(view.number)}, older articles</p>}
        <p class="topic-feeds">
          <a href={view.feeds}>{labels.messages.topicFeedsLink}</a>
        </p>
      </header>
      <section class="front-stories" aria-label={labels.text('articlesOnTopic', { topic: view.tag })}>
        {view.articles.map((article) => renderTeaser(article, { lead: false, page }))}
        {pager(view.page.pager)}
      </section>
    </main>
  ) as Element;
  return layout(view.page, main, { mainId: MAIN_ID, kind: 'inside' });
}
