/**
 * A local static server for an edition (sirv), with optional live reload: pages get a small
 * script that listens on /__galley/events and reloads when the watcher publishes a new build.
 * The files on disk are never changed; the script is added to HTML responses only.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import sirv from 'sirv';

export interface Server {
  readonly url: string;
  /** Tells every open page to reload. */
  reload(): void;
  close(): Promise<void>;
}

const EVENTS_PATH = '/__galley/events';
const RELOAD_SCRIPT = `<script>new EventSource(${JSON.stringify(EVENTS_PATH)}).addEventListener('reload', () => location.reload());</script>`;

/** Serves `dir` at `http://host:port/` (`port` 0 picks a free one). */
export function serve(dir: string, options: { port: number; host?: string; liveReload?: boolean }): Promise<Server> {
  const host = options.host ?? '127.0.0.1';
  // dev: false re-reads the folder on each request, since the edition is swapped under it
  const files = sirv(dir, { dev: true, etag: true, extensions: ['html'] });
  const clients = new Set<http.ServerResponse>();

  const server = http.createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      // no request may take the server down: this one fails, the next is served
      process.stderr.write(`galley: ${request.method} ${request.url}: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Internal error\n');
      else response.destroy();
    }
  });

  function handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    // a file sirv streams may vanish under it (a build swaps the edition): that response ends, the server does not
    response.on('pipe', (source: NodeJS.ReadableStream) => source.on('error', () => response.destroy()));
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (options.liveReload && url.pathname === EVENTS_PATH) {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      response.write(': connected\n\n');
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return;
    }
    if (options.liveReload) {
      const page = htmlFileFor(dir, url.pathname);
      if (page) {
        const html = fs.readFileSync(page, 'utf8').replace(/<\/body>/i, `${RELOAD_SCRIPT}</body>`);
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        response.end(html);
        return;
      }
    }
    const range = request.headers.range;
    if (range !== undefined) {
      const served = servableRange(range);
      if (served === null) delete request.headers.range;
      else request.headers.range = served;
    }
    files(request, response, () => {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(fs.existsSync(dir) ? 'Not found\n' : 'No edition built yet: run npm run build\n');
    });
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      resolve({
        url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`,
        reload() {
          for (const client of clients) client.write('event: reload\ndata: now\n\n');
        },
        close() {
          for (const client of clients) client.end();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}

/** A first byte past any file: sirv answers a range starting there with 416 and the file's size. */
const UNSATISFIABLE = `bytes=${Number.MAX_SAFE_INTEGER}-`;

/**
 * The `Range` header to hand sirv for `header`, or null to serve the whole file (200). sirv reads
 * `bytes=FIRST-LAST` with parseInt and gives what it read to fs.createReadStream, which throws
 * (out of the request handler: the server was gone) on a last byte before the first or beyond
 * 2^53: so only a range sirv serves correctly reaches it. As RFC 9110 (14.2) allows: a range
 * that is not valid (`bytes=500-100`, `bytes=5-1e3`) is answered 416, through sirv so that the
 * answer states the file's size; a last byte past the end means the end; what sirv cannot serve
 * (several ranges, a suffix `bytes=-N`, another unit) is ignored and the whole file sent.
 */
export function servableRange(header: string): string | null {
  const spec = /^\s*bytes\s*=\s*(.*?)\s*$/i.exec(header)?.[1];
  if (spec === undefined) return null;
  if (spec.includes(',') || /^-\d+$/.test(spec)) return null;
  const bounds = /^(\d+)-(\d*)$/.exec(spec);
  if (!bounds) return UNSATISFIABLE;
  const first = Number(bounds[1]);
  if (!Number.isSafeInteger(first)) return UNSATISFIABLE;
  if (bounds[2] === '') return `bytes=${first}-`;
  const last = Number(bounds[2]);
  if (last < first) return UNSATISFIABLE;
  return Number.isSafeInteger(last) ? `bytes=${first}-${last}` : `bytes=${first}-`;
}

/** The HTML file a path serves (`/a/` → `a/index.html`), inside `dir` only. */
function htmlFileFor(dir: string, pathname: string): string | null {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const candidate = path.join(dir, path.normalize(relative));
  if (!candidate.startsWith(path.resolve(dir))) return null;
  for (const file of [candidate, path.join(candidate, 'index.html'), `${candidate}.html`]) {
    if (file.endsWith('.html') && fs.existsSync(file) && fs.statSync(file).isFile()) return file;
  }
  return null;
}
