/**
 * Datelines: where a story was filed, as wire copy opens its lede with it: `PARIS (AFP) — `,
 * `NEW ORLEANS, La. (AP) — `, `LONDON, Sept 13 (Reuters) - `, `MADRID, 5 oct (EFE).- `,
 * `WASHINGTON — `, `МОСКВА, 13 сентября. /ТАСС/. `, `بيروت (أ ف ب) - `, `新华社北京9月13日电 `,
 * `【ワシントン共同】`, `(서울=연합뉴스) `. Ingest moves it out of the lede into the `dateline`
 * field; reading a source does the same for one whose lede still opens with it (hand-written, or
 * ingested before datelines were recognised), so no edition shows it as body text (where a drop
 * cap would open inside it: "P ARIS").
 *
 * Recognising one must not take an ordinary opening for a dateline ("A storm hit…", "Officials
 * said — …", "NATO — the alliance…"), so every form asks for what only datelines have:
 * - a place, then an agency in brackets or slashes: the place in capitals (cased scripts: every
 *   letter a capital), or a known agency; a place in a script without case, then a dash;
 * - a place in capitals alone, then a dash;
 * - the CJK agency forms, each with its own mark (`…日电`, `【…共同】`, `(…=연합뉴스)`);
 * and, in cased scripts, the text after it starts a sentence (no lower-case letter first).
 * Pure functions of text and trees.
 */
import type { Paragraph, PhrasingContent, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';

export interface DatelineSplit {
  /** The dateline as written, without the separator after it ("PARIS (AFP)"). */
  readonly dateline: string;
  /** Where the text after it (and after the separator) starts, in UTF-16 units. */
  readonly end: number;
}

/** Agencies named in datelines, lower case: a place not in capitals is a dateline with one of them. */
const AGENCIES = new Set(
  [
    'afp', 'ap', 'reuters', 'dpa', 'efe', 'ansa', 'adnkronos', 'agi', 'apa', 'sda', 'ats', 'keystone-sda', 'kna', 'epd', 'kap', 'ddp', 'dapd',
    'belga', 'anp', 'ntb', 'tt', 'ritzau', 'stt', 'pap', 'čtk', 'ctk', 'tasr', 'mti', 'hina', 'sta', 'bta', 'agerpres', 'lusa', 'ana', 'ana-mpa', 'ape', 'απε', 'απε-μπε',
    'europa press', 'servimedia', 'notimex', 'télam', 'telam', 'agência brasil', 'agencia brasil', 'prensa latina', 'xinhua', 'kyodo', 'jiji', 'yonhap', 'pti', 'ians', 'ani', 'uni',
    'bernama', 'antara', 'vna', 'pna', 'cna', 'aap', 'cp', 'pa', 'upi', 'bloomberg', 'dow jones', 'anadolu', 'aa', 'irna', 'isna', 'wafa', 'mena', 'spa', 'wam', 'kuna', 'qna',
    'petra', 'sana', 'nna', 'tap', 'map', 'aps', 'apa-ots', 'tass', 'ria novosti', 'interfax', 'ukrinform', 'unian', 'belta', 'kazinform', 'trend', 'ips',
    'тасс', 'риа новости', 'интерфакс', 'укрінформ', 'уніан', 'белта',
    'أ ف ب', 'ا ف ب', 'رويترز', 'د ب أ', 'أ ب', 'واس', 'وام', 'قنا', 'كونا', 'بترا', 'سانا', 'وفا', 'الأناضول', 'أ.ف.ب', 'إفي',
    'רויטרס', 'איי-פי', 'אי-פי',
  ],
);

/** Hindi agencies, which put no dash after their dateline: "नयी दिल्ली, तीन दिसंबर (भाषा) सरकार…". */
const UNDASHED_AGENCIES = new Set(['भाषा', 'पीटीआई', 'आईएएनएस', 'यूएनआई', 'वार्ता']);

/** Words an agency's name is made of, when it is not one of the known ones: "Galley Wire", "Example News Service". */
const AGENCY_WORD = /^(?:wire|news|press|presse|prensa|imprensa|stampa|agency|agence|agencia|agência|agenzia|agentur|nachrichten|service|services|newswire|wires)$/iu;

/** A dash or the agency's own punctuation between the dateline and the lede ("—", " - ", ".-", "_"). */
const SEPARATOR = /^\s*(?:\.?\s*(?:[-‐‑‒–—―]{1,2}|_)|\.(?=\s))\s*/u;
/** The same, where the dateline has no agency: a dash only, with space before it or a long one. */
const DASH_SEPARATOR = /^(?:\s+(?:[-‐‑‒–—―]{1,2}|_)|\s*[—―]|\s*--)\s*/u;

/** A place: words of letters (with marks, apostrophes, dots, hyphens, slashes inside), at most five. */
const PLACE = String.raw`[\p{L}\p{M}][\p{L}\p{M}\p{N}'’.\-/]*(?: [\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}'’.\-/]*){0,4}`;
/** What may follow the place after a comma: a date or a region ("Sept 14", "13 septembre", "La.", "N.J."). */
const EXTRA = String.raw`[\p{L}\p{M}\p{N}'’.\-/ ]{1,30}?`;
const WITH_AGENCY = new RegExp(String.raw`^(?<place>${PLACE})(?:\s*,\s*(?<extra>${EXTRA}))?\.?\s*(?:\((?<agency>[^()\n]{1,40})\)|\/(?<slashed>[^/\n]{1,30})\/)`, 'u');
const WITHOUT_AGENCY = new RegExp(String.raw`^(?<place>${PLACE})(?:\s*,\s*(?<extra>${EXTRA}))?(?=\s*[-‐‑‒–—―_])`, 'u');

/** Xinhua and Chinese papers: `新华社北京9月13日电` or `中新网9月13日电`, a reporter in brackets after it. */
const CHINESE = /^(?:\p{Script=Han}{1,20}?)(?:[\d０-９]{4}年)?[\d０-９]{1,2}月[\d０-９]{1,2}日电(?:[（(][^（）()\n]{1,40}[）)])?/u;
/** Kyodo, Jiji and Japanese papers: `【ワシントン共同】`, `【パリ＝AFP時事】`; Reuters in square brackets: `[東京 3日 ロイター]`. */
const JAPANESE = /^(?:【[^【】\n]{1,30}(?:[=＝]|共同|時事|ロイター|AFP|AP|新華社|聯合)[^【】\n]{0,20}】|[[［][^[\]［］\n]{1,30}(?:共同|時事|ロイター|AFP|AP|新華社|聯合)[^[\]［］\n]{0,20}[\]］])/u;
/** Yonhap and Korean papers: `(서울=연합뉴스)`, with the reporter after it when named: `(서울=연합뉴스) 홍길동 기자 =`. */
const KOREAN = /^[(（][^()（）=\n]{1,20}[=＝][^()（）\n]{1,20}[)）](?:\s*\p{Script=Hangul}{2,5}(?:\s+\p{Script=Hangul}{2,5})?\s*(?:기자|특파원)\s*(?=[=＝]))?/u;

const CASED = /[\p{Lu}\p{Ll}\p{Lt}]/u;
const LOWER = /\p{Ll}/u;

/** The dateline `text` opens with, or null. `text` is the lede's plain text. */
export function splitDateline(text: string): DatelineSplit | null {
  const start = text.length - text.trimStart().length;
  const head = text.slice(start, start + 200);
  const found = cjkDateline(head) ?? agencyDateline(head) ?? capitalsDateline(head);
  if (!found) return null;
  const rest = head.slice(found.end);
  // what follows starts the lede's first sentence (or the lede is in the next paragraph)
  const next = /[\p{L}\p{N}]/u.exec(rest)?.[0];
  if (next && LOWER.test(next)) return null;
  return { dateline: found.dateline, end: start + found.end };
}

function cjkDateline(head: string): DatelineSplit | null {
  const match = CHINESE.exec(head) ?? JAPANESE.exec(head) ?? KOREAN.exec(head);
  if (!match) return null;
  const after = /^[\s　]*(?:[-—–=＝]\s*)?/u.exec(head.slice(match[0].length))![0];
  return { dateline: match[0].trimEnd(), end: match[0].length + after.length };
}

function agencyDateline(head: string): DatelineSplit | null {
  const match = WITH_AGENCY.exec(head);
  if (!match?.groups) return null;
  const { place = '', extra, agency, slashed } = match.groups;
  const name = (agency ?? slashed ?? '').trim();
  if (!placeLooksRight(place) || (extra !== undefined && !extraLooksRight(extra))) return null;
  const known = AGENCIES.has(name.toLowerCase()) || UNDASHED_AGENCIES.has(name) || AGENCIES.has(name.toLowerCase().replace(/[.\s]+/g, ' ').trim()) || looksLikeAgency(name);
  const uncased = !CASED.test(place);
  if (!inCapitals(place) && !known && !uncased) return null;
  const separator = SEPARATOR.exec(head.slice(match[0].length));
  // a place in a script without case (no capitals to tell it from a sentence's first words):
  // only with a dash after the agency, as Arabic and Hebrew agencies write it, or with an agency
  // that writes none (PTI-Bhasha: "नयी दिल्ली, तीन दिसंबर (भाषा) सरकार…")
  if (uncased && !separator && !UNDASHED_AGENCIES.has(name)) return null;
  const spaces = /^\s*/.exec(head.slice(match[0].length))![0];
  return { dateline: head.slice(0, match[0].length).trim(), end: match[0].length + (separator ? separator[0].length : spaces.length) };
}

function capitalsDateline(head: string): DatelineSplit | null {
  const match = WITHOUT_AGENCY.exec(head);
  if (!match?.groups) return null;
  const { place = '', extra } = match.groups;
  if (!inCapitals(place) || !placeLooksRight(place) || NOT_PLACES.has(place.toLowerCase()) || (extra !== undefined && !extraLooksRight(extra))) return null;
  const separator = DASH_SEPARATOR.exec(head.slice(match[0].length));
  if (!separator) return null;
  return { dateline: head.slice(0, match[0].length).trim(), end: match[0].length + separator[0].length };
}

/** Every letter of a cased script a capital, and at least two of them ("NEW ORLEANS", "МОСКВА", "ST. LOUIS"). */
function inCapitals(place: string): boolean {
  const letters = [...place].filter((character) => CASED.test(character));
  return letters.length >= 2 && letters.every((letter) => !LOWER.test(letter));
}

/**
 * A place's words: the first starts with a capital (or is of a script without case), the others
 * too but for short linking words ("Rio de Janeiro", "Frankfurt am Main", "Stratford-upon-Avon").
 */
function placeLooksRight(place: string): boolean {
  const words = place.split(/[\s/]+/).filter(Boolean);
  if (!words.length || place.length > 40) return false;
  return words.every((word, index) => {
    const first = /[\p{L}]/u.exec(word)?.[0] ?? '';
    if (!CASED.test(first)) return true;
    if (!LOWER.test(first)) return true;
    return index > 0 && LINKING_WORDS.has(word.toLowerCase());
  });
}

/** Lower-case words inside place names. */
const LINKING_WORDS = new Set([
  'de', 'del', 'della', 'dei', 'di', 'da', 'do', 'dos', 'das', 'du', 'des', 'la', 'le', 'les', 'los', 'las', 'el', 'al', 'el-', 'al-', 'am', 'an', 'im', 'in', 'bei', 'ob', 'zu',
  'upon', 'on', 'sur', 'sous', 'en', 'lès', 'y', 'i', 'e', 'and', 'of', 'van', 'von', 'der', 'den', 'het', 'op', 'aan', 'ter', 'ten', 'na', 'nad', 'pod', 'u',
]);

/**
 * Words in capitals that open a lede without being places: organisations known by their initials
 * and the labels of wire copy. Without an agency after it, "NATO — The alliance…" is not a dateline.
 */
const NOT_PLACES = new Set([
  'nato', 'nasa', 'fifa', 'uefa', 'opec', 'imf', 'who', 'un', 'eu', 'us', 'usa', 'uk', 'ioc', 'ecb', 'fbi', 'cia', 'wto', 'asean', 'brics', 'iaea', 'unicef', 'unesco', 'unhcr',
  'oecd', 'cdc', 'fda', 'sec', 'ceo', 'tv', 'ok', 'ai', 'gdp',
  'breaking', 'breaking news', 'update', 'urgent', 'flash', 'exclusive', 'analysis', 'correction', 'corrected', 'advisory', 'editorial', 'opinion', 'live', 'factbox', 'explainer', 'bulletin',
]);

/** After the comma: a date or a region, a few short words, none a sentence ("Sept 14", "La.", "13 septembre"). */
function extraLooksRight(extra: string): boolean {
  const words = extra.trim().split(/\s+/).filter(Boolean);
  return words.length >= 1 && words.length <= 3;
}

function looksLikeAgency(name: string): boolean {
  const words = name.split(/\s+/).filter(Boolean);
  if (!words.length || words.length > 4) return false;
  // an acronym ("AFP", "ANSA", "KNA") or a name ending in an agency word ("Galley Wire")
  return (words.length === 1 && /^\p{Lu}[\p{Lu}\p{N}.\-]{1,9}$/u.test(words[0]!)) || (AGENCY_WORD.test(words.at(-1)!) && words.every((word) => !LOWER.test(word[0] ?? '')));
}

/** A dateline as editions compare them: case, spacing and Unicode form aside. */
export function datelineKey(dateline: string): string {
  return dateline.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * The dateline `body` opens with, taken out of its first paragraph: the body without it (a new
 * tree; `body` is not changed) and the dateline. Only a first block that is a paragraph, and
 * only when the dateline lies in plain text at its head (in text, emphasis or strong, never in
 * a link or code). A first paragraph that is the dateline alone goes when a paragraph follows.
 * `only`: take it only if it is this dateline (see datelineKey).
 */
export function takeDateline(body: Root, only?: string): { readonly body: Root; readonly dateline: string } | null {
  const first = body.children[0];
  if (first?.type !== 'paragraph') return null;
  const split = splitDateline(toString(first));
  if (!split || (only !== undefined && datelineKey(split.dateline) !== datelineKey(only))) return null;
  const paragraph = structuredClone(first);
  if (!dropCharacters(paragraph, split.end)) return null;
  const empty = toString(paragraph).trim() === '';
  if (empty && body.children[1]?.type !== 'paragraph') return null;
  const children = empty ? body.children.slice(1) : [paragraph, ...body.children.slice(1)];
  return { body: { ...body, children }, dateline: split.dateline };
}

/** Removes the first `count` characters of `paragraph`'s text, and the spaces after them; false when they are not all plain text. */
function dropCharacters(paragraph: Paragraph, count: number): boolean {
  let left = count;
  const drop = (children: PhrasingContent[]): boolean => {
    while (children.length && left > 0) {
      const node = children[0]!;
      if (node.type === 'text') {
        if (node.value.length <= left) {
          left -= node.value.length;
          children.shift();
        } else {
          node.value = node.value.slice(left);
          left = 0;
        }
      } else if (node.type === 'strong' || node.type === 'emphasis') {
        if (!drop(node.children)) return false;
        if (!node.children.length) children.shift();
      } else return false;
    }
    // the spaces that separated the dateline from the lede
    const head = children[0];
    if (left === 0 && head?.type === 'text') {
      head.value = head.value.trimStart();
      if (!head.value) children.shift();
    }
    return left === 0;
  };
  return drop(paragraph.children);
}
