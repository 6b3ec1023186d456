// Starts a Galley command (`cli`, `dev`, `preview`) fast. Node 20 can run TypeScript only
// through a loader, and tsx's loader answers every module resolution from a separate thread,
// which would be most of a no-change build. So the launcher compiles the pipeline once with
// esbuild (the compiler tsx itself uses) into .cache/bin/<hash of the sources>/ and runs that
// with plain Node, npm packages bundled in but for those listed below. Any edit to pipeline/,
// templates/, tsconfig.json or the lockfile makes a new hash (engine-hash.mjs), hence a fresh
// compile. Should compiling fail, the command runs through tsx as before, only slower.
// Plain JavaScript on purpose: it must run before anything can compile TypeScript.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { engineHash } from '../engine/engine-hash.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMMANDS = ['cli', 'dev', 'preview', 'worker'];
const command = process.argv[2];
if (!COMMANDS.includes(command)) {
  process.stderr.write(`usage: node pipeline/cli/launch.mjs (${COMMANDS.join('|')}) [flags]\n`);
  process.exit(2);
}
// the command sees its own flags only, as if started directly
process.argv.splice(2, 1);

async function compiled() {
  // inside the project whatever GALLEY_CACHE_DIR says: the bundles find node_modules from here
  const binDir = path.join(ROOT, '.cache', 'bin');
  const target = path.join(binDir, engineHash(ROOT).slice(0, 24));
  if (fs.existsSync(path.join(target, `${command}.js`))) return target;
  const { build } = await import('esbuild');
  fs.mkdirSync(binDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(binDir, '.compiling-'));
  try {
    // both bundles: everything the code imports, for this Node, beside each other
    const bundle = { absWorkingDir: ROOT, outdir: staging, bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'error' };
    await build({
      ...bundle,
      entryPoints: COMMANDS.map((name) => `pipeline/cli/${name}.ts`),
      splitting: true,
      format: 'esm',
      // npm packages are bundled too: resolving and reading ~300 small module files was a third
      // of a no-change build. Left outside: packages that read data files beside their own code
      // (fonts, hyphenation patterns, PDFKit's AFM files), start workers or compile, and the dev server's.
      // The queue's and the shared cache's clients load only with --queue or GALLEY_CACHE_URL: left outside, they cost a build without them nothing.
      external: ['pdfkit', 'fontkit', 'piscina', 'esbuild', 'tsx', 'hyphen', 'chokidar', 'sirv', 'dejavu-fonts-ttf', '@expo-google-fonts/*', 'bullmq', 'ioredis', '@aws-sdk/*'],
      // bundled CommonJS packages call require(); an ES module has none of its own
      banner: { js: "import { createRequire as __galleyRequire } from 'node:module'; const require = __galleyRequire(import.meta.url);" },
    });
    // Each worker (PDFs; sources read for a web edition) is one CommonJS file with PDFKit,
    // fontkit and the rest inside: a worker thread loads it much faster than the same code as ES
    // modules resolved one by one from node_modules, and that load is most of what a one-article
    // rebuild waits for.
    // PDFKit reads two things beside its own code, found from the bundle's place instead: the
    // sRGB profile of PDF/A (copied below) and its standard fonts (through "imports" below).
    await build({
      ...bundle,
      // beside the bundles that start them (pdf/pool.ts, engine/source-readers.ts: worker-threads.ts)
      entryPoints: { worker: 'pipeline/outputs/pdf/worker.ts', 'read-worker': 'pipeline/engine/read-worker.ts' },
      outExtension: { '.js': '.cjs' },
      format: 'cjs',
      // fonts are files found by their package names; hyphenation patterns are imported by name when needed
      external: ['hyphen', 'dejavu-fonts-ttf', '@expo-google-fonts/*'],
      // a CommonJS file has no import.meta: modules that find files from their own URL get the bundle's
      define: { 'import.meta.url': '__galleyModuleUrl' },
      banner: { js: 'var __galleyModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    });
    fs.mkdirSync(path.join(staging, 'data'));
    const pdfkitData = path.join(path.dirname(createRequire(import.meta.url).resolve('pdfkit')), 'data');
    fs.copyFileSync(path.join(pdfkitData, 'sRGB_IEC61966_2_1.icc'), path.join(staging, 'data', 'sRGB_IEC61966_2_1.icc'));
    // the bundles sit two folders below the project; they find it (and node_modules) from there
    fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify({ type: 'module', imports: { '#standard-fonts/*': 'pdfkit/standard-fonts/*' } })}\n`);
    try {
      fs.renameSync(staging, target);
    } catch {
      // another build compiled the same sources first: use theirs
      fs.rmSync(staging, { recursive: true, force: true });
    }
    // older compiles are of sources that no longer exist
    for (const name of fs.readdirSync(binDir)) {
      if (name !== path.basename(target) && !name.startsWith('.')) fs.rmSync(path.join(binDir, name), { recursive: true, force: true });
    }
    return target;
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

let entry;
try {
  entry = pathToFileURL(path.join(await compiled(), `${command}.js`)).href;
} catch (error) {
  process.stderr.write(`galley: could not compile the pipeline (${error instanceof Error ? error.message.split('\n')[0] : error}); running it through tsx\n`);
  const { register } = await import('tsx/esm/api');
  register();
  entry = pathToFileURL(path.join(ROOT, 'pipeline', 'cli', `${command}.ts`)).href;
}
await import(entry);
