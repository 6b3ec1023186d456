/**
 * Sentences of a text, as Intl.Segmenter finds them in its language, with the full stops of
 * common abbreviations ("Mr.", "U.S.", "Sept.") not taken as the end of one. Pure, and free of
 * the parsing stack: ingest (headlines, summaries) and every edition (the standfirst rule) use it.
 */
import { segmentsOf } from './segments.ts';

/** Abbreviations after which a full stop does not end a sentence. */
const ABBREVIATION = /(?:\b(?:[A-Z]\.){1,4}|\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Cmdr|Maj|Adm|Prof|St|Jr|Sr|Inc|Corp|Co|Ltd|No|vs|Jan|Feb|Mar|Apr|Aug|Sep|Sept|Oct|Nov|Dec)\.)\s*$/;

/**
 * The sentences of `text`, each with the spaces after it, in order (so they join back into the
 * text), as far as `enough` asks: it is told each sentence as found and returns true to stop.
 * One sentence at a time, and only as far as needed: V8's segmenter is quadratic over a whole
 * long text (segments.ts).
 */
export function sentencesOf(text: string, lang: string, enough: (sentence: string) => boolean = () => false): string[] {
  const sentences: string[] = [];
  let sentence = '';
  for (const { segment } of segmentsOf(new Intl.Segmenter(lang, { granularity: 'sentence' }), text)) {
    sentence += segment;
    // the tail is enough (the longest abbreviation and the character before it): testing the
    // whole sentence each time is quadratic in a text of many "sentences" such as "A. B. C."
    if (ABBREVIATION.test(sentence.trimEnd().slice(-16))) continue;
    sentences.push(sentence);
    if (enough(sentence)) return sentences;
    sentence = '';
  }
  if (sentence) sentences.push(sentence);
  return sentences;
}

/** The first sentence of `text`, trimmed. */
export function firstSentence(text: string, lang = 'en'): string {
  const [first = ''] = sentencesOf(text, lang, () => true);
  return first.trim() || text.trim();
}
