/** The folders of a content folder: raw copy in, Markdown sources (ingest's and people's) kept. */
export const RAW_FOLDER = 'raw';
export const ARTICLES_FOLDER = 'articles';
