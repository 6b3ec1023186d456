/**
 * `npm run preview -- [--out DIR] [--port N]`: serve the last build as it is, no rebuild.
 */
import path from 'node:path';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { serve } from './serve.ts';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'dist' }, port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } },
  strict: true,
});
const outDir = path.resolve(values.out);
if (!fs.existsSync(path.join(outDir, 'index.html'))) {
  process.stderr.write(`galley: no edition in ${values.out}: run npm run build first\n`);
  process.exit(2);
}
const server = await serve(outDir, { port: Number(values.port), host: values.host });
process.stdout.write(`galley: serving ${values.out} at ${server.url} (Ctrl-C to stop)\n`);
