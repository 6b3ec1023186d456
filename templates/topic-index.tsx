/** The `/tags/` index: every topic, with how many articles it has. */
import type { Element, Root } from 'hast';
import type { TopicIndexView } from './views.ts';
import { layout } from './layout.tsx';

const MAIN_ID = 'content';

export function topicIndex(view: TopicIndexView): Root {
  const main = (
    <main id={MAIN_ID} class="topic">
      <header class="topic-header">
        <h1>Topics</h1>
      </header>
      {view.topics.length ? (
        <ul class="topic-list">
          {view.topics.map((topic) => (
            <li>
              <a href={topic.href} dir="auto">
                {topic.label}
              </a>{' '}
              <span class="topic-count">({topic.articles === 1 ? '1 article' : `${topic.articles} articles`})</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="empty">No topics yet.</p>
      )}
    </main>
  ) as Element;
  return layout(view.page, main, { mainId: MAIN_ID, kind: 'inside' });
}
