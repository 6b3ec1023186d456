/**
 * The readers of agency formats (ninjs; NITF and NewsML-G2, which are XML), with the HTML and XML
 * parsers they need: ingest loads them only for a raw file that may be in one of them (see
 * ingestRawFolder), so that a build ingesting plain wire text does not.
 */
export { readNinjs } from './ninjs.ts';
export { readXmlItems } from './xml-formats.ts';
