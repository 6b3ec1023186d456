/**
 * The frame every page shares: the head (metadata for browsers, search engines, feed readers
 * and social cards), the masthead, the footer. Plain functions rather than JSX components:
 * hastscript's JSX runtime deliberately has no function components.
 */
import type { Element, Root } from 'hast';
import type { PagerView, PageView, SiteChromeView } from './views.ts';
import { machineDate } from './format.ts';
import { labelsFor } from './labels.ts';

export interface LayoutOptions {
  /** The id `<main>` carries, target of the skip link. */
  readonly mainId: string;
  /** `front` gives the big masthead whose title is the page's `<h1>`; `inside` a compact one. */
  readonly kind: 'front' | 'inside';
}

/** A whole document: `<!doctype html>` and `<html>`. */
export function layout(page: PageView, main: Element, options: LayoutOptions): Root {
  const { messages } = labelsFor(page.lang, page.site.timeZone);
  return {
    type: 'root',
    children: [
      { type: 'doctype' },
      (
        <html lang={page.lang} dir={page.dir}>
          {head(page)}
          <body class={`page-${options.kind}`}>
            <a class="skip-link" href={`#${options.mainId}`}>
              {messages.skipToContent}
            </a>
            {masthead(page, options.kind)}
            {main}
            {footer(page.site, page)}
          </body>
        </html>
      ) as Element,
    ],
  };
}

function head(page: PageView): Element {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{page.title}</title>
      <meta name="description" content={page.description} />
      <link rel="canonical" href={page.canonical} />
      <meta name="color-scheme" content="light dark" />
      {/* An empty icon: browsers stop asking the server root for /favicon.ico, which under a sub-path is not ours. */}
      <link rel="icon" href="data:," />
      <link rel="stylesheet" href={page.stylesheet} />
      {page.pager?.newer ? <link rel="prev" href={page.pager.newer} /> : null}
      {page.pager?.older ? <link rel="next" href={page.pager.older} /> : null}
      {page.alternates.map((alternate) => (
        <link rel="alternate" type={alternate.type} href={alternate.href} title={alternate.title} />
      ))}
      {page.meta.map((meta) => (meta.key === 'property' ? <meta property={meta.keyValue} content={meta.content} /> : <meta name={meta.keyValue} content={meta.content} />))}
      <script type="application/ld+json">{page.jsonLd}</script>
    </head>
  ) as Element;
}

/** Links to a list page's newer and older neighbours; nothing when it has neither. */
export function pager(view: PagerView | undefined): Element | null {
  if (!view || (!view.newer && !view.older)) return null;
  return (
    <nav class="pager" aria-label="More articles">
      {view.newer ? (
        <a rel="prev" href={view.newer}>
          ← Newer articles
        </a>
      ) : null}
      {view.older ? (
        <a rel="next" href={view.older}>
          Older articles →
        </a>
      ) : null}
    </nav>
  ) as Element;
}

/** `lang`/`dir` for chrome inside a page in another language (an Arabic article on an English site). */
function siteLanguage(site: SiteChromeView, page: PageView): { lang?: string; dir?: string } {
  return site.lang === page.lang ? {} : { lang: site.lang, dir: site.dir };
}

/**
 * The masthead and footer are the site's (its name, its description: the site's language), but
 * their labels are the page's, like every other label on it: marked back to the page's language
 * inside chrome marked as the site's.
 */
function pageLanguage(site: SiteChromeView, page: PageView): { lang?: string; dir?: string } {
  return site.lang === page.lang ? {} : { lang: page.lang, dir: page.dir };
}

function masthead(page: PageView, kind: LayoutOptions['kind']): Element {
  const site = page.site;
  const labels = labelsFor(page.lang, site.timeZone);
  const title = (
    kind === 'front' ? (
      <h1 class="masthead-title">{site.title}</h1>
    ) : (
      <p class="masthead-title">
        <a href={site.home}>{site.title}</a>
      </p>
    )
  ) as Element;
  return (
    <header class="masthead" {...siteLanguage(site, page)}>
      <div class="masthead-bar">
        {/* The edition's date belongs on the front page; on an article it would read as the article's. */}
        {kind === 'front' && site.editionDate ? (
          <p class="edition-date">
            <time datetime={machineDate(site.editionDate)}>{labels.date(site.editionDate)}</time>
          </p>
        ) : null}
        {/* People subscribe through the feeds page; feed readers find the feeds through the head's links. */}
        <nav class="feed-nav" aria-label={labels.messages.subscribe} {...pageLanguage(site, page)}>
          <a class="feed-nav-link" href={site.feedsPage}>
            {labels.messages.subscribe}
          </a>
        </nav>
      </div>
      {title}
      {kind === 'front' ? <p class="masthead-tagline">{site.description}</p> : null}
    </header>
  ) as Element;
}

function footer(site: SiteChromeView, page: PageView): Element {
  return (
    <footer class="site-footer" {...siteLanguage(site, page)}>
      <p class="site-footer-title">
        <a href={site.home}>{site.title}</a>
      </p>
      <p>{site.description}</p>
      <p>{site.copyright}</p>
    </footer>
  ) as Element;
}
