/**
 * Closing credit lines as agencies and newsrooms write them, in the languages they file in: the
 * last paragraph(s) of a wire story that say where the reporting came from, not the news.
 *
 * English: "AFP contributed reporting.", "Reuters contributed to this report.", "Some information
 * for this report was provided by AP.", "Reporting by …; Editing by …", "With AFP", "(Reuters)".
 * French "Avec AFP.", "(avec AFP)", "Avec Reuters et AP"; German "Mit Material von dpa",
 * "Mit Material der Nachrichtenagenturen dpa und AFP", "(dpa)"; Spanish "Con información de
 * EFE", "(EFE)"; Italian "Con ANSA"; Portuguese "Com agências", "Com informações da Reuters";
 * Dutch "Met ANP"; Polish "(PAP)". A line is a credit only when short (see MAX_CREDIT_LENGTH):
 * long lines are body text, whatever they start with.
 */

const AGENCY_NAMES = [
  'AFP', 'AP', 'Reuters', 'dpa', 'DPA', 'Xinhua', 'Bloomberg', 'UPI', 'EFE', 'ANSA', 'Kyodo', 'Yonhap', 'TASS', 'Tass', 'PA', 'CNA', 'ANI', 'PTI',
  'Anadolu', 'The Associated Press', 'Associated Press', 'Agence France-Presse', 'Agence France Presse', 'APA', 'ANP', 'Belga', 'SDA', 'Keystone-SDA',
  'KNA', 'epd', 'PAP', 'CTK', 'ČTK', 'TT', 'NTB', 'Ritzau', 'STT', 'Lusa', 'Agência Brasil', 'Europa Press', 'Notimex', 'Télam', 'AGI', 'Adnkronos',
  'KUNA', 'WAM', 'SPA', 'MENA', 'Jiji', 'Jiji Press', 'Bernama', 'Antara',
  '共同', '共同通信', '時事', '時事通信', '新华社', '新華社', '中央社', '연합뉴스', 'ТАСС', 'РИА Новости', 'Интерфакс',
];

/** One agency name (longest first, so "Associated Press" is not read as "AP"). */
const AGENCY = [...AGENCY_NAMES].sort((a, b) => b.length - a.length).map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/** One or more agencies: "AFP", "AFP and Reuters", "dpa, AFP und Reuters", "agencies". */
const AGENCIES = `(?:${AGENCY}|agencies|agences|Agenturen|agencias|agenzie|agências|agencias)(?:\\s*(?:,|and|et|und|y|e|en|og|och|i|&)\\s*(?:${AGENCY}|agencies))*`;

const CREDIT = [
  // English
  /^(?:the\s+)?[\p{Lu}][\p{L}\p{N}.&'’\- ]{0,60}?\s+contributed\s+(?:(?:additional\s+)?reporting|to\s+(?:this|the)\s+(?:report|story|article|reporting))\b/iu,
  /^(?:some\s+)?(?:information|material|reporting|details)\s+(?:for|in)\s+(?:this|the)\s+(?:report|story|article)\s+(?:was|were)\s+(?:provided|contributed|supplied)\s+by\s+/i,
  /^(?:additional\s+)?(?:reporting|writing|editing|compiled|written|edited)\s+by\s+/i,
  new RegExp(`^(?:with|[—–-])\\s*(?:${AGENCIES})\\s*\\.?$`, 'iu'),
  // "(Reuters)", "(AFP)", "(dpa)", "(avec AFP)", "(mit Material von dpa)"
  new RegExp(`^\\((?:(?:with|avec|mit|con|com|met|med|z)\\s+)?(?:(?:Material\\s+(?:von|der)\\s+(?:der\\s+)?(?:Nachrichtenagenturen?\\s+)?)?)(?:${AGENCIES})\\)\\.?$`, 'iu'),
  // French: "Avec AFP.", "Avec AFP et Reuters", "Avec agences"
  new RegExp(`^avec\\s+(?:l['’]\\s*)?(?:${AGENCIES})\\s*\\.?$`, 'iu'),
  // German: "Mit Material von dpa", "Mit Material der Nachrichtenagenturen dpa und AFP", "Mit dpa"
  new RegExp(`^mit\\s+(?:Material\\s+(?:von|der)\\s+(?:der\\s+)?(?:Nachrichtenagenturen?\\s+)?)?(?:${AGENCIES})\\s*\\.?$`, 'iu'),
  // Spanish and Portuguese: "Con información de EFE", "Con EFE", "Com informações da Reuters", "Com agências"
  new RegExp(`^(?:con|com)\\s+(?:(?:información|informaciones|informações|informação|material)\\s+(?:de|da|do|das|dos)\\s+(?:la\\s+|las\\s+)?)?(?:${AGENCIES})\\s*\\.?$`, 'iu'),
  // Italian, Dutch, Scandinavian: "Con ANSA", "Met ANP", "Med NTB"
  new RegExp(`^(?:met|med)\\s+(?:${AGENCIES})\\s*\\.?$`, 'iu'),
];

/**
 * Credits in other words: Spanish "Información de …; edición de …", and the rights notice an
 * agency closes with ("Copyright 2026 Thomson Reuters. All rights reserved.", "© AFP", Yonhap's
 * "<저작권자(c) 연합뉴스…>"), which is the agency's to show with its copy.
 */
const OTHER_CREDITS = [
  /^(?:información|informaci[oó]n adicional|reportaje|redacción|edición)\s+(?:de|por)\s+/iu,
  /^(?:copyright\b|©|\(c\)\s*\d{4})/iu,
  /^[<‹]?\s*저작권자/u,
  // Japanese "（取材・編集：山田太郎）"
  /^(?:取材|編集|記者)[・：:]/u,
  // the reporter's address alone, as Yonhap and others close with it
  /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/u,
];

/** Long lines are body text, whatever they start with. */
const MAX_CREDIT_LENGTH = 200;

/** An agency's name alone, as a bracketed line gives it: "（共同）". */
const AGENCY_ALONE = new RegExp(`^(?:${AGENCIES})$`, 'iu');

/** A line with its brackets taken off: "(Reporting by …; Editing by …)", Japanese "（共同）". */
const BRACKETED = /^[(（\[](.*)[)）\]][.。]?$/su;

export function isCreditLine(text: string): boolean {
  const line = text.trim();
  if (line.length > MAX_CREDIT_LENGTH) return false;
  const inside = BRACKETED.exec(line)?.[1]?.trim();
  return [line, ...(inside ? [inside] : [])].some((candidate) => CREDIT.some((pattern) => pattern.test(candidate)) || OTHER_CREDITS.some((pattern) => pattern.test(candidate)) || AGENCY_ALONE.test(candidate));
}

/**
 * The desk's sign-off that closes a story, as agencies file it: editors' initials ("abc/def/jp",
 * "mzk/ mok/", "JC // ACL", Arabic "ب ح/ ع ش"), with the agency before them ("EFE pgm/lf",
 * "Lusa/Fim"), or dpa's initials and filing time ("dpa abc yyzz n1 kuk 031015 Dez 26"). Ingest
 * drops it among a story's closing lines; a byline of it names no author.
 */
const DESK_SIGN_OFF = /^(?:\p{L}{1,12}\s+)?(?:\p{L}[\p{L} ]{0,6}\/{1,2}\s*)+[\p{L} ]{0,7}\/?$|^dpa(?:\s+[\p{L}\p{N}]{1,6})*\s+\d{6}\s+\p{L}{3}\s+\d{2}$/u;

/** Whether a line is a desk's sign-off (DESK_SIGN_OFF): no text of the story, no author's name. */
export function isDeskSignOff(text: string): boolean {
  const line = text.trim();
  return line.length <= 60 && DESK_SIGN_OFF.test(line);
}
