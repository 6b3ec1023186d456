/**
 * The feeds page (`feeds/`): what a feed reader is, how to subscribe, and the address of every
 * feed, the edition's and each topic's, written out in full so it can be copied into a reader.
 * The page every "subscribe" link leads to; the XML and JSON documents are for the readers.
 */
import type { Element, Root } from 'hast';
import type { FeedAddressView, FeedsPageView } from './views.ts';
import { layout } from './layout.tsx';
import { labelsFor } from './labels.ts';

const MAIN_ID = 'content';

export function feedsPage(view: FeedsPageView): Root {
  const labels = labelsFor(view.page.lang, view.page.site.timeZone);
  const { messages } = labels;
  const main = (
    <main id={MAIN_ID} class="feeds-page">
      <header class="topic-header">
        <h1>{messages.feedsTitle}</h1>
        <p class="feeds-lead">{messages.feedsExplained}</p>
      </header>
      <p>{messages.feedsWhat}</p>
      <section aria-labelledby="how-to-subscribe">
        <h2 id="how-to-subscribe">{messages.howToSubscribe}</h2>
        <ol class="feeds-steps">
          <li>{messages.feedsStepCopy}</li>
          <li>{messages.feedsStepPaste}</li>
          <li>{messages.feedsStepFormat}</li>
          <li>{messages.feedsStepDiscover}</li>
        </ol>
      </section>
      <section aria-labelledby="feeds-all">
        <h2 id="feeds-all">{messages.feedsAllArticles}</h2>
        {addressList(view.feeds)}
      </section>
      {view.topics.length > 0 ? (
        <section aria-labelledby="feeds-topics">
          <h2 id="feeds-topics">{messages.feedsByTopic}</h2>
          {view.topics.map((topic) => (
            <section class="feeds-topic" id={topic.id} aria-label={labels.text('feedsForTopic', { topic: topic.label })}>
              <h3 dir="auto">
                <a href={topic.href}>{topic.label}</a>
              </h3>
              {addressList(topic.feeds)}
            </section>
          ))}
        </section>
      ) : null}
    </main>
  ) as Element;
  return layout(view.page, main, { mainId: MAIN_ID, kind: 'inside' });
}

/** Each format linked (with its media type, for browsers and extensions that subscribe), its whole address beside it. */
function addressList(feeds: readonly FeedAddressView[]): Element {
  return (
    <ul class="feed-addresses">
      {feeds.map((feed) => (
        <li>
          <a href={feed.href} type={feed.type}>
            {feed.label}
          </a>{' '}
          <code dir="ltr" translate="no">
            {feed.url}
          </code>
        </li>
      ))}
    </ul>
  ) as Element;
}
