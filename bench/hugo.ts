/**
 * Hugo doing the work a `--formats html,feeds` Galley build does, from the same Markdown sources
 * (Galley's own `articles/*.md`: Hugo reads their `title`, `date`, `slug`, `summary` and `tags`
 * front-matter as it is), configured with Galley's site defaults (`siteSettings()`):
 *
 * - a page per article, at the same URL (`articles/SLUG/`);
 * - a front page and a page per tag paged by `pageSize` (30, Hugo's `paginate`), older pages behind them;
 * - the tags page listing every topic;
 * - for the front page and for each tag, three subscription feeds holding the newest `feedLimit`
 *   (50, Hugo's `rssLimit`) entries with their full content: RSS (`feed.xml`), Atom (`atom.xml`)
 *   and JSON Feed (`feed.json`), the last two as custom output formats;
 * - sitemap.xml and robots.txt.
 *
 * What Hugo does not do here that Galley does: the RFC 5005 feed archive documents (every older
 * entry, in full, in `archive/N/`), the Google News sitemap, and the PDF links and enclosures
 * are missing from its pages (there are no PDFs in a `--formats html,feeds` build either).
 * Hugo numbers older pages from the newest, Galley from the oldest: the same number of pages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { siteSettings } from '../pipeline/model/site.ts';
import { timedSpawn } from './timed.ts';

/** Galley's defaults (the bench's content folders have no site.yaml): 30 a page, 50 a feed. */
const { pageSize, feedLimit } = siteSettings();

const CONFIG = `baseURL = "https://bench.example/"
title = "Galley"
languageCode = "en"
paginate = ${pageSize}
rssLimit = ${feedLimit}
enableRobotsTXT = true
# Galley's builds in the bench are dated after every article (SOURCE_DATE_EPOCH): Hugo must not hold
# back the articles the clock sees as future either (100,000 articles an hour apart run to 2034)
buildFuture = true
# Galley has no page listing the articles/ folder
disableKinds = ["section"]

[taxonomies]
  tag = "tags"

[mediaTypes."application/atom+xml"]
  suffixes = ["xml"]
[mediaTypes."application/feed+json"]
  suffixes = ["json"]

[outputFormats.RSS]
  baseName = "feed"
[outputFormats.Atom]
  mediaType = "application/atom+xml"
  baseName = "atom"
  rel = "alternate"
[outputFormats.JSONFeed]
  mediaType = "application/feed+json"
  baseName = "feed"
  rel = "alternate"
  isPlainText = true

[outputs]
  home = ["HTML", "RSS", "Atom", "JSONFeed"]
  term = ["HTML", "RSS", "Atom", "JSONFeed"]
  taxonomy = ["HTML"]
  page = ["HTML"]
`;

/** The entries of a feed: the newest `rssLimit` of the site (front page) or of the tag. */
const FEED_PAGES = `{{- $pages := .Pages -}}
{{- if .IsHome -}}{{- $pages = site.RegularPages -}}{{- end -}}
{{- $pages = $pages | first site.Config.Services.RSS.Limit -}}`;

const HEAD = `<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="{{ .Permalink }}"><link rel="stylesheet" href="{{ "style.css" | relURL }}">
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}`;

const RFC3339 = '"2006-01-02T15:04:05Z07:00"';
const RFC822 = '"Mon, 02 Jan 2006 15:04:05 -0700"';

const LAYOUTS: Record<string, string> = {
  '_default/single.html': `<!doctype html><html lang="{{ site.LanguageCode }}"><head>${HEAD}<title>{{ .Title }} · {{ site.Title }}</title></head>
<body><main><article class="story"><header>{{ with .Params.tags }}<p class="kicker">{{ index . 0 }}</p>{{ end }}
<h1 class="headline">{{ .Title }}</h1>
<p class="byline">By {{ .Params.author }}</p>
<p class="dateline"><time datetime="{{ .Date.UTC.Format ${RFC3339} }}">{{ .Date.Format "January 2, 2006" }}</time> · {{ .ReadingTime }} min read</p></header>
<div class="story-body">{{ .Content }}</div>
<footer>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</footer></article></main></body></html>
`,
  'partials/teasers.html': `{{ range .Pages }}<article class="teaser">{{ with .Params.tags }}<p class="kicker">{{ index . 0 }}</p>{{ end }}
<h2 class="teaser-headline"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p class="teaser-summary">{{ .Summary }}</p>
<p class="teaser-meta">{{ .Params.author }} · <time datetime="{{ .Date.UTC.Format ${RFC3339} }}">{{ .Date.Format "January 2, 2006" }}</time> · {{ .ReadingTime }} min read</p></article>
{{ end }}<nav>{{ with .Prev }}<a rel="prev" href="{{ .URL }}">Newer</a>{{ end }} {{ with .Next }}<a rel="next" href="{{ .URL }}">Older</a>{{ end }}</nav>
`,
  'index.html': `<!doctype html><html lang="{{ site.LanguageCode }}"><head>${HEAD}<title>{{ site.Title }}</title></head>
<body><main>{{ partial "teasers.html" (.Paginate site.RegularPages) }}</main></body></html>
`,
  '_default/term.html': `<!doctype html><html lang="{{ site.LanguageCode }}"><head>${HEAD}<title>{{ .Title }} · {{ site.Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>{{ partial "teasers.html" .Paginator }}</main></body></html>
`,
  '_default/terms.html': `<!doctype html><html lang="{{ site.LanguageCode }}"><head>${HEAD}<title>{{ .Title }} · {{ site.Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul></main></body></html>
`,
  // full content (.Content), not Hugo's default summary-only RSS
  '_default/rss.xml': `${FEED_PAGES}
{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title><link>{{ .Permalink }}</link>
<description>{{ site.Title }}</description><language>{{ site.LanguageCode }}</language>
{{ with $pages }}<lastBuildDate>{{ (index . 0).Date.UTC.Format ${RFC822} | safeHTML }}</lastBuildDate>{{ end }}
{{ with .OutputFormats.Get "RSS" }}<atom:link href="{{ .Permalink }}" rel="self" type="{{ .MediaType.Type }}"/>{{ end }}
{{ range $pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid isPermaLink="true">{{ .Permalink }}</guid>
<pubDate>{{ .Date.UTC.Format ${RFC822} | safeHTML }}</pubDate>{{ range .Params.tags }}<category>{{ . }}</category>{{ end }}
<description>{{ .Summary | plainify | html }}</description>
<content:encoded>{{ .Content | html }}</content:encoded></item>
{{ end }}</channel></rss>
`,
  '_default/list.atom.xml': `${FEED_PAGES}
{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<feed xmlns="http://www.w3.org/2005/Atom">{{ $self := .OutputFormats.Get "Atom" }}
<id>{{ $self.Permalink }}</id><title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
{{ with $pages }}<updated>{{ (index . 0).Date.UTC.Format ${RFC3339} }}</updated>{{ end }}
<link rel="alternate" href="{{ .Permalink }}"/><link rel="self" href="{{ $self.Permalink }}"/>
{{ range $pages }}<entry><title type="text">{{ .Title }}</title><id>{{ .Permalink }}</id><link href="{{ .Permalink }}"/>
<updated>{{ .Date.UTC.Format ${RFC3339} }}</updated><author><name>{{ .Params.author }}</name></author>
{{ range .Params.tags }}<category term="{{ . }}"/>{{ end }}
<summary type="text">{{ .Summary | plainify }}</summary>
<content type="html">{{ .Content | html }}</content></entry>
{{ end }}</feed>
`,
  // a plain-text format (text/template): every value goes through jsonify
  '_default/list.jsonfeed.json': `${FEED_PAGES}
{"version":"https://jsonfeed.org/version/1.1","title":{{ printf "%s%s" (cond .IsHome "" (printf "%s · " .Title)) site.Title | jsonify }},
"home_page_url":{{ .Permalink | jsonify }},"feed_url":{{ (.OutputFormats.Get "JSONFeed").Permalink | jsonify }},"language":{{ site.LanguageCode | jsonify }},
"items":[{{ range $index, $page := $pages }}{{ if $index }},{{ end }}
{"id":{{ .Permalink | jsonify }},"url":{{ .Permalink | jsonify }},"title":{{ .Title | jsonify }},
"summary":{{ .Summary | plainify | jsonify }},"content_html":{{ .Content | jsonify (dict "noHTMLEscape" true) }},
"date_published":{{ .Date.UTC.Format ${RFC3339} | jsonify }},"authors":[{"name":{{ .Params.author | jsonify }}}],"tags":{{ .Params.tags | jsonify }}}{{ end }}]}
`,
};

/** A Hugo site in `dir` whose content is a copy of the Markdown sources in `articlesDir`. */
export function writeHugoSite(dir: string, articlesDir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.toml'), CONFIG);
  for (const [file, text] of Object.entries(LAYOUTS)) {
    fs.mkdirSync(path.dirname(path.join(dir, 'layouts', file)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'layouts', file), text);
  }
  fs.mkdirSync(path.join(dir, 'static'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'static', 'style.css'), 'body { font-family: serif; }\n');
  fs.cpSync(articlesDir, path.join(dir, 'content', 'articles'), { recursive: true });
}

export function hugoVersion(): string | null {
  const result = spawnSync('hugo', ['version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** A cold Hugo build of the site in `dir` into `dir/public`, timed as a whole process. */
export function buildHugo(dir: string): { ms: number; cpuMs: number } {
  const out = path.join(dir, 'public');
  fs.rmSync(out, { recursive: true, force: true });
  const { result, ms, cpuMs } = timedSpawn('hugo', ['--quiet', '--gc=false', '--source', dir, '--destination', out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`hugo failed (${result.status}):\n${(result.stderr || result.stdout).slice(-2000)}`);
  return { ms, cpuMs };
}

/**
 * Checks that Hugo did the work it is compared for, so a configuration mistake cannot make it
 * look fast: paged front and tag pages, every tag's three feeds, full content in the feeds, and
 * no more entries than the limit. Throws naming what is missing.
 */
export function checkHugoOutput(dir: string, articleCount: number): void {
  const out = path.join(dir, 'public');
  const problems: string[] = [];
  const need = (file: string) => {
    if (!fs.existsSync(path.join(out, file))) problems.push(`${file} is missing`);
  };
  const pages = Math.ceil(articleCount / pageSize);
  if (pages > 1) need(`page/${pages}/index.html`);
  if (fs.existsSync(path.join(out, `page/${pages + 1}/index.html`))) problems.push(`page/${pages + 1}/ exists: paging is not by ${pageSize}`);
  need('tags/index.html');
  const articlePages = fs.existsSync(path.join(out, 'articles')) ? fs.readdirSync(path.join(out, 'articles')).filter((slug) => fs.existsSync(path.join(out, 'articles', slug, 'index.html'))).length : 0;
  if (articlePages !== articleCount) problems.push(`${articlePages} article pages, not ${articleCount}`);
  const tags = fs.existsSync(path.join(out, 'tags')) ? fs.readdirSync(path.join(out, 'tags'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name) : [];
  if (!tags.length) problems.push('no tag pages');
  for (const feedDir of ['', ...tags.map((tag) => `tags/${tag}/`)]) {
    for (const feed of ['feed.xml', 'atom.xml', 'feed.json']) need(`${feedDir}${feed}`);
  }
  if (!problems.length) {
    const rss = fs.readFileSync(path.join(out, 'feed.xml'), 'utf8');
    const items = rss.split('<item>').length - 1;
    if (items !== Math.min(articleCount, feedLimit)) problems.push(`feed.xml holds ${items} items, not ${Math.min(articleCount, feedLimit)}`);
    // full content: every paragraph of the body, escaped, not a summary
    const contents = [...rss.matchAll(/<content:encoded>([^]*?)<\/content:encoded>/g)];
    if (contents.length !== items || contents.some((match) => (match[1]!.match(/&lt;p&gt;/g) ?? []).length < 5)) problems.push('feed.xml items lack full content');
    const json = JSON.parse(fs.readFileSync(path.join(out, `tags/${tags[0]}/feed.json`), 'utf8')) as { items: { content_html: string }[] };
    if (!json.items.length || json.items.some((item) => (item.content_html.match(/<p>/g) ?? []).length < 5)) problems.push(`tags/${tags[0]}/feed.json items lack full content`);
    if (json.items.length > pageSize && !fs.existsSync(path.join(out, `tags/${tags[0]}/page/2/index.html`))) problems.push(`tags/${tags[0]}/ has ${json.items.length} articles or more but no page/2/`);
    const atom = fs.readFileSync(path.join(out, `tags/${tags[0]}/atom.xml`), 'utf8');
    if (!atom.includes('<content type="html">&lt;p&gt;')) problems.push(`tags/${tags[0]}/atom.xml entries lack full content`);
  }
  if (problems.length) throw new Error(`hugo did not do the same work as Galley in ${out}: ${problems.join('; ')}`);
}
