/**
 * Making an edition once the check found a change: read the sources (PDFs start rendering as
 * each article is read); put each article's PDF and page into a staging folder; make the front
 * page, topic pages and feeds as soon as the PDF sizes they state are known; publish the staging
 * folder in one swap.
 */
import type { Article } from '../model/article.ts';
import type { SiteSettings } from '../model/site.ts';
import type { BuildOptions } from './context.ts';
import { Diagnostics, GalleyError } from '../model/diagnostics.ts';
import { CACHE_DIR } from './project.ts';
import { EDITION_MARK, EDITION_MARK_TEXT, Staging } from './publish.ts';
import { fsReason } from '../model/errors.ts';
import { loadSiteSettings } from '../model/site.ts';
import { forgetEdition, inputKey, recordEdition } from './manifest.ts';
import { recordUses } from './edition-uses.ts';
import { OUTPUT_PATHS } from '../outputs/registry.ts';
import { ARTICLE_OUTPUTS, LIST_OUTPUTS, outputsFor } from '../outputs/outputs.ts';
import { DeclaredPdfSizes } from './pdf-sizes.ts';
import { nextChange } from '../model/holds.ts';
import { articleOutputInputs, makeAlone, type Edition, type OutputFile, type PlannedFile } from '../outputs/edition.ts';
import { forgetSharedFacts, holdsBody, isPublished, pinBody, prepareAlongside, releaseBody, turn, unclaimedRawFiles } from './prepare.ts';
import { PdfQueue } from './pdf-queue.ts';
import { onInterrupt } from './interrupt.ts';
import { collectNowIfLarge, pageMadeAgain } from './heap.ts';
import type { BuildRun, Checked, PublishReport } from './build-run.ts';

export async function makeEdition(options: BuildOptions, run: BuildRun, { fingerprint, key: checkedKey, cache, damaged, sources, sourceIndex, clock }: Checked): Promise<PublishReport> {
  const lap = (stage: string) => clock.lap(stage);
  cache.holdWhileUsed();
  forgetSharedFacts();
  const timings = clock.timings;
  // workers the command line started warm up in the site's language while the build reads
  // (prepare reads the settings again and reports on them)
  const language = loadSiteSettings(options.contentDir, new Diagnostics())?.language ?? 'en';
  if (options.formats.includes('pdf')) run.earlyWorkers?.warmUpIn(language);
  // the teasers and feed items kept by earlier builds are read from disk while this thread reads
  // the sources, and what the spare edition holds is surveyed (see Staging.surveySpare)
  cache.readFragmentsAhead();
  const spareSurvey = Staging.surveySpare(options.outDir, CACHE_DIR);
  // PDFs render (into the cache) while the rest is still being read: they are most of the work
  const pdfs = options.formats.includes('pdf') ? new PdfQueue(cache, sources.length + unclaimedRawFiles(options.contentDir, sources).length, language, run.earlyWorkers ?? null, run.pdfRenderer && ((jobs, lang) => run.pdfRenderer!(jobs, lang, fingerprint))) : null;
  // something changed, and nearly every change needs a PDF: a large build starts its workers
  // now, so their start-up (modules, fonts, warm-up) overlaps reading the sources
  await pdfs?.warmUp();
  // from here on, Ctrl-C or SIGTERM cleans up whatever this build has started
  const interrupt = onInterrupt();
  const articleOutputs = await outputsFor(ARTICLE_OUTPUTS, options.formats);
  const listOutputs = await outputsFor(LIST_OUTPUTS, options.formats);
  let readingSources = true;
  /** makeAlone with the article's PDF size, while the build reads; then its body goes. What fails here is made, and reported, by writePages. */
  const makeOnceItsPdfIs = (article: Article, site: SiteSettings, pdfSize: number) => {
    if (!readingSources) return;
    try {
      makeAlone(article, site, cache, { article: articleOutputs, pieces: listOutputs }, pdfSize);
    } catch {
      return;
    }
    releaseBody(article);
  };
  // Each PDF starts as its article is read, its related titles looked up in no edition yet (see
  // PdfQueue.request). An article read from its source holds its body until its PDF, page and feed
  // items are made: once its PDF is, so are they (makeAlone), and the body goes. The reading
  // waits for the PDFs when it is far ahead (PdfQueue.ahead): the bodies it held are then few.
  const { context, report, sources: allSources } = await prepareAlongside(
    options,
    new Diagnostics(),
    cache,
    sources,
    (article, site) => {
      if (!pdfs || !isPublished(article, options)) return;
      const pdf = pdfs.request(article, { site, articles: [] });
      if (holdsBody(article)) pdf.then((made) => makeOnceItsPdfIs(article, site, made.stat.size), () => {});
    },
    () => pdfs?.ahead() ?? null,
  );
  readingSources = false;
  cache.sourcesRead();
  collectNowIfLarge(report.published.length);
  lap('read');
  const result = (ok: boolean, extra: { rendered?: number; reused?: number; files?: number } = {}): PublishReport => ({
    ...report,
    ok,
    unchanged: false,
    ...{ rendered: 0, reused: 0, files: 0, ...extra },
    timings,
    replayed: '',
    counts: { published: report.published.length, drafts: report.drafts.length, future: report.future.length, warnings: report.diagnostics.count('warning') },
  });
  if (!context || !report.ok) {
    // what was read is worth keeping even when the build fails: the next attempt reuses it
    cache.save();
    interrupt.release();
    await pdfs?.close();
    return result(false);
  }
  const { site, diagnostics } = context;
  const failedWith = (error: unknown): PublishReport => {
    if (!(error instanceof GalleyError)) throw error;
    diagnostics.error(error.file ?? options.outDir, error.message, error.place, error.stage);
    return result(false);
  };

  forgetEdition(CACHE_DIR, options.outDir);
  await spareSurvey?.done;
  let staging: Staging;
  try {
    staging = Staging.open(options.outDir, CACHE_DIR, spareSurvey);
  } catch (error) {
    return failedWith(error);
  }
  // most files are as the last build but one made them, and the spare holds their copy: those are not looked up in the cache
  cache.hasCopy = (outputPath, file) => staging.holdsCopy(outputPath, file);
  interrupt.staging = staging;
  try {
    staging.write(EDITION_MARK, EDITION_MARK_TEXT);
    const pdfBytes = new DeclaredPdfSizes();
    // a file rendered later (see OutputFile's otherwise) reads the PDF sizes its output declared, as it would have now
    const reading = (output: OutputFile, reader: string, articles: readonly Article[]): OutputFile =>
      'otherwise' in output ? { ...output, otherwise: () => pdfBytes.reading(reader, articles, output.otherwise) } : output;
    const edition: Edition = { site, articles: report.published, pdfBytes };
    let pages = 0;
    // An article's outputs are keyed by the article, its PDF's size and what they declare they
    // show of the rest of the edition (a page's related links), nothing else of other articles':
    // publishing an article does not re-render the archive.
    const writePages = (article: Article) => {
      // a body parsed for these is held until releaseBody below, and no longer
      pinBody(article);
      let rendered = false;
      for (const output of articleOutputs) {
        const { format } = output;
        pdfBytes.reading(format.name, [article], () => {
          const inputs = articleOutputInputs(output, article, edition, pdfBytes.get(article.slug) ?? null);
          const made = cache.output(format.path(article.slug), format.name, inputs, () => {
            rendered = true;
            return output.render(article, edition);
          });
          staging.add(reading(made, format.name, [article]));
        });
        pages++;
      }
      if (rendered) pageMadeAgain();
      // An article whose page was made has its body at hand: its pieces of the lists (feed
      // items) are made now, not once the lists are, by when the build no longer holds it.
      if (rendered) for (const output of listOutputs) pdfBytes.reading(`${output.formats[0]?.name ?? 'list'} pieces`, [article], () => output.articlePieces?.(article, site, cache, pdfBytes));
      releaseBody(article);
    };

    // each article's PDF into the edition, and its page as soon as the PDF's size is known
    let done = 0;
    // Without PDFs nothing else spaces the pages out: they go in 64 at a time, the event loop
    // turning in between, so that the files staged meanwhile are written as they come, not all
    // once every page is made (which a web edition whose pages were not cached takes a while to do).
    let paced: Promise<void> = Promise.resolve();
    const placed = Promise.all(
      report.published.map(async (article, index) => {
        if (!pdfs) {
          if (index % 64 === 63) paced = paced.then(turn);
          await paced;
        } else {
          const pdf = await pdfs.request(article, edition);
          for (const warning of pdf.warnings) diagnostics.warn(article.sourcePath, `PDF: ${warning}`, undefined, 'pdf');
          staging.place(OUTPUT_PATHS.articlePdf(article.slug), pdf.file, { size: pdf.stat.size });
          pdfBytes.set(article.slug, pdf.stat.size);
        }
        writePages(article);
        run.onArticle?.(++done, report.published.length, article);
      }),
    );
    // a failure is reported where `placed` is awaited; until then it must not go unhandled
    placed.catch(() => {});
    // cached PDFs are placed once the event loop turns; those still missing are being rendered
    await turn();
    // without PDFs, the lists are made once every page is: an article whose page was made
    // has made its feed items too, with the body that page parsed
    if (!pdfs) await placed;
    await cache.fragmentsRead();
    const lists = listOutputs.flatMap((output) => output.plan(edition, cache));
    const planned = lists.length;
    const make = (file: PlannedFile) => reading(pdfBytes.reading(file.path, file.articles, () => file.render()), file.path, file.articles);
    // Front page, topic pages and feeds are made while PDFs render, each as soon as every article
    // it shows has its PDF's size: after an edit, all but the few that show the edited article.
    // A cold build renders every PDF, so it makes them all after, with the workers' memory back.
    // counted, not kept: each list file holds its plan and its articles until staging takes it in
    let listFiles = 0;
    const waiting: PlannedFile[] = [];
    const ready = (file: PlannedFile) => !pdfs || pdfBytes.known(file.articles);
    // taken out of `lists` as they go: a planned file (its plan, the articles it shows) is garbage once staged
    for (const file of lists.splice(0)) {
      if (!ready(file)) {
        waiting.push(file);
        continue;
      }
      staging.add(make(file));
      listFiles++;
      // a turn of the event loop between files, for a PDF that is done meanwhile
      await turn();
    }
    lap('lists');
    await placed;
    // The workers stop while the last pages and feeds are made, when those are few (after an
    // edit: the front page, the main feeds, the edited article's topics). When most are left (a
    // cold build makes them all now), their memory goes back first: overlapping the two took a
    // cold build's peak over 400 MB.
    const closed = pdfs?.close();
    if (waiting.length > planned / 2) await closed;
    lap('pdf+pages');
    for (const file of waiting) {
      staging.add(make(file));
      listFiles++;
    }
    await closed;
    lap('index+feeds');
    for (const file of damaged) diagnostics.warn(file, 'this cached file was damaged; it is made again', undefined, 'cache');
    collectNowIfLarge(report.published.length);
    const { retired, listing } = await staging.commit();
    // Published: the build has succeeded, whatever fails from here on. The cache and the
    // record of the edition only save work for the next build; failing to save them is a warning.
    const rendered = pdfs?.rendered ?? 0;
    const made = { rendered, reused: pdfBytes.size - rendered, files: listFiles + pdfBytes.size + pages };
    const heldUntil = nextChange(report.articles, options.now);
    try {
      const unsaved = cache.save();
      if (unsaved) throw unsaved;
      // the key of the sources as they are now, ingested ones included: what the next build sees
      // (the check's own when ingest wrote none: the build read the sources it keyed)
      const publishedKey = report.ingested.length === 0 ? checkedKey : inputKey(options, fingerprint, allSources);
      if (publishedKey) {
        const messages = diagnostics.format();
        recordEdition(CACHE_DIR, options.outDir, { key: publishedKey, files: listing, heldUntil, messages, counts: result(true, made).counts }, (folder) => staging.unchangedFolder(folder));
      }
      // what the edition was copied from stays in the cache when it is swept (cache-sweep.ts)
      recordUses(CACHE_DIR, options.outDir, staging.copiedFrom());
      sourceIndex.indexStill(allSources);
    } catch (error) {
      diagnostics.warn(CACHE_DIR, `the edition is published, but the cache was not saved (${fsReason(error)}): the next build redoes more work`, undefined, 'cache');
    }
    await retired.catch((error: unknown) => diagnostics.warn(options.outDir, `the edition is published, but the previous one could not be put away (${fsReason(error)})`, undefined, 'publish'));
    lap('publish');
    return result(true, made);
  } catch (error) {
    await staging.abort();
    return failedWith(error);
  } finally {
    interrupt.release();
    await pdfs?.close();
  }
}
