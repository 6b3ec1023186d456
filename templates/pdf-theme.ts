/**
 * The print edition's presentation, as data: paper, margins, type sizes and leading, colours,
 * spacing and the font files. `pipeline/outputs/pdf.ts` reads this and holds no presentation
 * constants of its own, so restyling the PDF is an edit here.
 *
 * Units are PostScript points (1/72 in) unless a name says otherwise; `em` values are
 * multiples of the style's font size.
 */

/** A font file, as a module specifier resolved against node_modules (`package/path.ttf`). */
export type FontFile = string;

/** The four faces of a text family; a missing face falls back to the nearest one that exists. */
export interface FamilyFiles {
  readonly regular: FontFile;
  readonly bold?: FontFile;
  readonly italic?: FontFile;
  readonly boldItalic?: FontFile;
}

/** A font used for characters the text families lack (other scripts, emoji). */
export interface FallbackFamily {
  /** Names the family in warnings and tests. */
  readonly name: string;
  readonly files: FamilyFiles;
  /**
   * Scripts (Unicode script names, as in `\p{Script=…}`) this family is preferred for, even
   * when an earlier font has glyphs for them: DejaVu has basic Arabic and Hebrew, but Naskh
   * and Noto Sans Hebrew are the faces made for reading them.
   */
  readonly scripts: readonly string[];
  /** Languages (BCP 47 primary subtags) whose text should prefer this family over its peers. */
  readonly languages?: readonly string[];
  /** True for the emoji font: emoji-presentation clusters go to it before anything else. */
  readonly emoji?: boolean;
}

export type FamilyName = 'serif' | 'sans' | 'mono';

export interface TextStyle {
  readonly family: FamilyName;
  readonly bold: boolean;
  readonly italic: boolean;
  /** Font size. */
  readonly size: number;
  /** Baseline-to-baseline distance. */
  readonly leading: number;
  /** Text colour, `#rrggbb`. */
  readonly color: string;
  /** Set in capitals (the text keeps its case; only the drawing is upper-cased). */
  readonly uppercase?: boolean;
  /** Extra space between letters, in em (furniture and kickers only: it disables ligatures). */
  readonly tracking?: number;
}

export interface BlockSpacing {
  /** Space above the block (collapses with the previous block's `after`: the larger wins). */
  readonly before: number;
  readonly after: number;
}

export interface Margins {
  readonly top: number;
  readonly bottom: number;
}

export interface Paper {
  /** Width and height. */
  readonly size: readonly [number, number];
  /** Space above and below the text block (the running header and footer stand in it). */
  readonly margins: Margins;
  /**
   * Width of the text column, centred on the page: the measure every block is set to (the
   * side margins are what is left). The layout gives it to the blocks (`textFrame` in
   * pipeline/outputs/pdf/layout.ts).
   */
  readonly measure: number;
}

export interface PdfTheme {
  readonly paper: { readonly A4: Paper; readonly Letter: Paper };
  readonly fonts: {
    readonly serif: FamilyFiles;
    readonly sans: FamilyFiles;
    readonly mono: FamilyFiles;
    /** Tried in order after the text family, per run of characters it cannot draw. */
    readonly fallbacks: readonly FallbackFamily[];
    /**
     * What is drawn for a character no font has (a warning names it; the PDF text still says
     * the real character). Must exist in the serif family.
     */
    readonly missingGlyph: string;
  };
  readonly colors: {
    readonly text: string;
    readonly accent: string;
    readonly muted: string;
    readonly link: string;
    readonly rule: string;
  };
  readonly styles: {
    readonly kicker: TextStyle;
    readonly headline: TextStyle;
    readonly standfirst: TextStyle;
    readonly byline: TextStyle;
    readonly body: TextStyle;
    /** Body headings by Markdown depth (`##` is 2); deeper ones use the last. */
    readonly headings: readonly TextStyle[];
    readonly blockquote: TextStyle;
    readonly code: TextStyle;
    readonly credit: TextStyle;
    readonly endHeading: TextStyle;
    readonly endMatter: TextStyle;
    readonly runningHeader: TextStyle;
    readonly footer: TextStyle;
  };
  readonly spacing: {
    readonly kicker: BlockSpacing;
    readonly headline: BlockSpacing;
    readonly standfirst: BlockSpacing;
    readonly byline: BlockSpacing;
    /** Between body paragraphs; 0 means paragraphs are told apart by their indent alone. */
    readonly paragraph: BlockSpacing;
    readonly heading: BlockSpacing;
    readonly list: BlockSpacing;
    readonly listItem: BlockSpacing;
    readonly blockquote: BlockSpacing;
    readonly code: BlockSpacing;
    readonly thematicBreak: BlockSpacing;
    readonly endMatter: BlockSpacing;
  };
  readonly layout: {
    /** First-line indent of a paragraph that follows another paragraph, in em. */
    readonly paragraphIndent: number;
    /** Indent of list item text (the label hangs in it). */
    readonly listIndent: number;
    /** Left indent of block quotes; a rule is drawn in it. */
    readonly blockquoteIndent: number;
    readonly blockquoteRuleWidth: number;
    /** Thickness of the rules under the masthead line and above the byline. */
    readonly ruleWidth: number;
    /** Distance from the page edge to the running header's baseline. */
    readonly headerBaseline: number;
    /** Distance from the page edge to the footer's baseline. */
    readonly footerBaseline: number;
    /** Gap between the running header and the hairline under it. */
    readonly headerRuleGap: number;
    readonly bullet: string;
    /** Separator in the running header and the byline. */
    readonly separator: string;
  };
  readonly typesetting: {
    /** Fewest lines of a paragraph left at the foot of a page (a lone one is an orphan). */
    readonly orphans: number;
    /** Fewest lines carried over to the head of a page (a lone one is a widow). */
    readonly widows: number;
    /** Lines of the following block that must fit under a heading on the same page. */
    readonly keepWithHeading: number;
    /**
     * The last page never holds a few lines alone. When fewer than `minBodyLines` lines of
     * the body would stand on it, small adjustments are tried first to fit the article on one
     * page fewer, as a paper's make-up would: the end matter's spacing scaled by
     * `endMatterSpacing`, then up to `tightenedParagraphs` paragraphs set a line shorter with
     * the letters `tracking` em closer. Failing that, lines move over from the page before it.
     */
    readonly lastPage: {
      readonly minBodyLines: number;
      readonly endMatterSpacing: number;
      readonly tightenedParagraphs: number;
      /** Negative: letters closer. */
      readonly tracking: number;
    };
    readonly hyphenation: {
      /** Words shorter than this are never hyphenated. */
      readonly minWord: number;
      /** Fewest letters before a hyphen. */
      readonly leftMin: number;
      /** Fewest letters after a hyphen. */
      readonly rightMin: number;
    };
    /** Interword space, as multiples of the font's space glyph. */
    readonly space: { readonly stretch: number; readonly shrink: number };
    /** Knuth–Plass penalties and demerits (TeX's defaults, scaled for narrower pages). */
    readonly penalties: {
      readonly hyphen: number;
      readonly explicitHyphen: number;
      /** Inside a URL or an e-mail address, at a slash, a dot… (no hyphen is added there). */
      readonly address: number;
      /** Between CJK characters, where a line may break anywhere. */
      readonly ideographic: number;
      /**
       * Between two CJK characters of a headline, not after punctuation: a headline breaks at
       * an ideographic space or after 、。 rather than inside a word, when that costs little.
       */
      readonly headlineIdeographic: number;
      /** Inside a token too long for a line, where nothing else lets it wrap. */
      readonly emergency: number;
      readonly lineDemerits: number;
      readonly consecutiveHyphens: number;
      /** A hyphen ending the next-to-last line leaves a fragment alone on the last. */
      readonly finalHyphen: number;
      readonly fitnessMismatch: number;
    };
    /** Largest adjustment ratio accepted on the first pass, then on the second. */
    readonly tolerance: readonly [number, number];
    /**
     * Stretch a line may take beyond its spaces, as a fraction of the measure, in a third pass
     * when no line within the tolerance can be found (TeX's \emergencystretch): a line of long
     * names, which are not hyphenated, is then set loose rather than a word alone on a line.
     */
    readonly emergencyStretch: number;
  };
  /** Tables (GFM): type, rules and space. */
  readonly tables: {
    readonly cell: TextStyle;
    /** The header row's cells (repeated at the head of each page the table continues on). */
    readonly header: TextStyle;
    /** Space around the table. */
    readonly spacing: BlockSpacing;
    /** Space between a cell's text and its column's edges, and between rows (a rule runs in it). */
    readonly padding: { readonly x: number; readonly y: number };
    /** Rules: above and below the table, under the header, between rows. */
    readonly rules: { readonly outer: number; readonly header: number; readonly row: number; readonly strong: string; readonly light: string };
  };
  /** Pictures and their captions. */
  readonly figures: {
    readonly caption: TextStyle;
    readonly spacing: BlockSpacing;
    /** Between a picture and its caption. */
    readonly captionGap: number;
    /** Points per pixel of a picture (0.75: as big as a browser shows it), up to the measure. */
    readonly scale: number;
    /** Tallest a picture may be, as a share of the page's text area (its caption must fit beside it). */
    readonly maxHeight: number;
  };
  /** Footnotes, set as notes after the article's text. */
  readonly notes: {
    readonly heading: TextStyle;
    readonly text: TextStyle;
    readonly spacing: BlockSpacing;
  };
}

const TEXT = '#1b1b1b';
const ACCENT = '#a3161a';
const MUTED = '#5c5c5c';

/**
 * Tried in this order for characters the text family lacks (a script's preferred family first,
 * see `scripts`): DejaVu Sans, whose coverage is the widest, before the big CJK files; Google's
 * Noto families for the scripts DejaVu lacks or sets poorly; the emoji font last.
 */
const FALLBACKS: readonly FallbackFamily[] = [
  {
    name: 'DejaVu Sans',
    scripts: [],
    files: {
      regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
      bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
      italic: 'dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf',
      boldItalic: 'dejavu-fonts-ttf/ttf/DejaVuSans-BoldOblique.ttf',
    },
  },
  {
    name: 'Noto Naskh Arabic',
    scripts: ['Arabic'],
    files: {
      regular: '@expo-google-fonts/noto-naskh-arabic/400Regular/NotoNaskhArabic_400Regular.ttf',
      bold: '@expo-google-fonts/noto-naskh-arabic/700Bold/NotoNaskhArabic_700Bold.ttf',
    },
  },
  {
    name: 'Noto Sans Hebrew',
    scripts: ['Hebrew'],
    files: {
      regular: '@expo-google-fonts/noto-sans-hebrew/400Regular/NotoSansHebrew_400Regular.ttf',
      bold: '@expo-google-fonts/noto-sans-hebrew/700Bold/NotoSansHebrew_700Bold.ttf',
    },
  },
  {
    name: 'Noto Sans Devanagari',
    scripts: ['Devanagari'],
    files: {
      regular: '@expo-google-fonts/noto-sans-devanagari/400Regular/NotoSansDevanagari_400Regular.ttf',
      bold: '@expo-google-fonts/noto-sans-devanagari/700Bold/NotoSansDevanagari_700Bold.ttf',
    },
  },
  {
    name: 'Noto Sans Thai',
    scripts: ['Thai'],
    files: {
      regular: '@expo-google-fonts/noto-sans-thai/400Regular/NotoSansThai_400Regular.ttf',
      bold: '@expo-google-fonts/noto-sans-thai/700Bold/NotoSansThai_700Bold.ttf',
    },
  },
  {
    name: 'Noto Sans SC',
    scripts: ['Han', 'Hiragana', 'Katakana', 'Bopomofo'],
    languages: ['zh', 'ja'],
    files: {
      regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
      bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
    },
  },
  {
    name: 'Noto Sans KR',
    scripts: ['Hangul', 'Han'],
    languages: ['ko'],
    files: {
      regular: '@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf',
      bold: '@expo-google-fonts/noto-sans-kr/700Bold/NotoSansKR_700Bold.ttf',
    },
  },
  {
    name: 'Noto Emoji',
    scripts: [],
    emoji: true,
    files: {
      regular: '@expo-google-fonts/noto-emoji/400Regular/NotoEmoji_400Regular.ttf',
      bold: '@expo-google-fonts/noto-emoji/700Bold/NotoEmoji_700Bold.ttf',
    },
  },
];

export const pdfTheme: PdfTheme = {
  paper: {
    // One column, as a paper sets a feature across its page: a measure of about 65 characters
    // of body type (the median line of an English article; 55–75 is the range a paper sets), in
    // wide side margins. Not two columns: pdftotext -layout, which the archive and search
    // indexers read PDFs with, prints columns side by side, line by line, and so interleaves
    // their sentences; one column reads back in order with every tool.
    A4: { size: [595.28, 841.89], margins: { top: 70, bottom: 74 }, measure: 330 },
    Letter: { size: [612, 792], margins: { top: 64, bottom: 70 }, measure: 330 },
  },
  fonts: {
    serif: {
      regular: 'dejavu-fonts-ttf/ttf/DejaVuSerifCondensed.ttf',
      bold: 'dejavu-fonts-ttf/ttf/DejaVuSerifCondensed-Bold.ttf',
      italic: 'dejavu-fonts-ttf/ttf/DejaVuSerifCondensed-Italic.ttf',
      boldItalic: 'dejavu-fonts-ttf/ttf/DejaVuSerifCondensed-BoldItalic.ttf',
    },
    sans: {
      regular: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf',
      bold: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf',
      italic: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Oblique.ttf',
      boldItalic: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed-BoldOblique.ttf',
    },
    mono: {
      regular: 'dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf',
      bold: 'dejavu-fonts-ttf/ttf/DejaVuSansMono-Bold.ttf',
      italic: 'dejavu-fonts-ttf/ttf/DejaVuSansMono-Oblique.ttf',
      boldItalic: 'dejavu-fonts-ttf/ttf/DejaVuSansMono-BoldOblique.ttf',
    },
    fallbacks: FALLBACKS,
    missingGlyph: '\u25A1',
  },
  colors: { text: TEXT, accent: ACCENT, muted: MUTED, link: '#14457a', rule: '#8c8c8c' },
  styles: {
    kicker: { family: 'sans', bold: true, italic: false, size: 8.5, leading: 11, color: ACCENT, uppercase: true, tracking: 0.08 },
    headline: { family: 'serif', bold: true, italic: false, size: 25, leading: 29, color: TEXT },
    standfirst: { family: 'serif', bold: false, italic: true, size: 13, leading: 17.5, color: '#333333' },
    byline: { family: 'sans', bold: false, italic: false, size: 8.5, leading: 12, color: MUTED },
    body: { family: 'serif', bold: false, italic: false, size: 10.5, leading: 14.6, color: TEXT },
    headings: [
      { family: 'serif', bold: true, italic: false, size: 15, leading: 19, color: TEXT },
      { family: 'serif', bold: true, italic: false, size: 13, leading: 17, color: TEXT },
      { family: 'serif', bold: true, italic: false, size: 11.5, leading: 15, color: TEXT },
      { family: 'serif', bold: true, italic: true, size: 10.5, leading: 14.6, color: TEXT },
    ],
    blockquote: { family: 'serif', bold: false, italic: true, size: 10.5, leading: 14.6, color: '#2e2e2e' },
    code: { family: 'mono', bold: false, italic: false, size: 8.6, leading: 12, color: TEXT },
    credit: { family: 'serif', bold: false, italic: true, size: 9.5, leading: 13, color: MUTED },
    endHeading: { family: 'sans', bold: true, italic: false, size: 8.5, leading: 12, color: ACCENT, uppercase: true, tracking: 0.08 },
    endMatter: { family: 'serif', bold: false, italic: false, size: 9.5, leading: 13, color: TEXT },
    runningHeader: { family: 'sans', bold: false, italic: false, size: 7.5, leading: 9, color: MUTED },
    footer: { family: 'sans', bold: false, italic: false, size: 7.5, leading: 9, color: MUTED },
  },
  spacing: {
    kicker: { before: 0, after: 6 },
    headline: { before: 0, after: 9 },
    standfirst: { before: 0, after: 10 },
    byline: { before: 0, after: 16 },
    paragraph: { before: 0, after: 0 },
    heading: { before: 13, after: 4 },
    list: { before: 5, after: 5 },
    listItem: { before: 0, after: 2 },
    blockquote: { before: 7, after: 7 },
    code: { before: 7, after: 7 },
    thematicBreak: { before: 9, after: 9 },
    endMatter: { before: 16, after: 0 },
  },
  layout: {
    paragraphIndent: 1.2,
    listIndent: 16,
    blockquoteIndent: 16,
    blockquoteRuleWidth: 1.5,
    ruleWidth: 0.6,
    headerBaseline: 40,
    footerBaseline: 40,
    headerRuleGap: 4,
    bullet: '\u2022',
    separator: '\u00B7',
  },
  typesetting: {
    orphans: 2,
    widows: 2,
    keepWithHeading: 2,
    lastPage: { minBodyLines: 6, endMatterSpacing: 0.5, tightenedParagraphs: 3, tracking: -0.012 },
    hyphenation: { minWord: 5, leftMin: 2, rightMin: 3 },
    space: { stretch: 0.6, shrink: 0.3 },
    penalties: {
      hyphen: 50,
      explicitHyphen: 50,
      address: 50,
      ideographic: 0,
      headlineIdeographic: 600,
      emergency: 5000,
      lineDemerits: 10,
      consecutiveHyphens: 3000,
      finalHyphen: 5000,
      fitnessMismatch: 100,
    },
    tolerance: [1.6, 4],
    emergencyStretch: 0.1,
  },
  tables: {
    cell: { family: 'sans', bold: false, italic: false, size: 8.5, leading: 11.5, color: TEXT },
    header: { family: 'sans', bold: true, italic: false, size: 8.5, leading: 11.5, color: TEXT },
    spacing: { before: 10, after: 10 },
    padding: { x: 4, y: 3.5 },
    rules: { outer: 0.9, header: 0.6, row: 0.3, strong: TEXT, light: '#8c8c8c' },
  },
  figures: {
    caption: { family: 'sans', bold: false, italic: false, size: 8, leading: 10.5, color: MUTED },
    spacing: { before: 10, after: 10 },
    captionGap: 4,
    scale: 0.75,
    maxHeight: 0.7,
  },
  notes: {
    heading: { family: 'sans', bold: true, italic: false, size: 8.5, leading: 12, color: ACCENT, uppercase: true, tracking: 0.08 },
    text: { family: 'serif', bold: false, italic: false, size: 8.8, leading: 12, color: TEXT },
    spacing: { before: 14, after: 0 },
  },
};
