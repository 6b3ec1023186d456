// Preloaded into a real build (node --import) by tests that need the environment to fail: a
// full disk or a read-only file system where no test can make one. GALLEY_TEST_FAULTS is a JSON
// list of { "path": regular expression, "code": "ENOSPC" | "EROFS" | … }: every write, folder
// made or rename onto a matching path then fails as the kernel would fail it.
import fs from 'node:fs';

const rules = JSON.parse(process.env.GALLEY_TEST_FAULTS ?? '[]').map((rule) => ({ path: new RegExp(rule.path), code: rule.code }));

function fault(syscall, file) {
  const name = String(file);
  const rule = rules.find((candidate) => candidate.path.test(name));
  if (!rule) return null;
  const error = new Error(`${rule.code}: injected by the test, ${syscall} '${name}'`);
  return Object.assign(error, { code: rule.code, syscall, path: name, errno: rule.code === 'ENOSPC' ? -28 : -30 });
}

const writing = (flags) => typeof flags === 'string' && /[wax+]/.test(flags);

function wrapSync(object, name, target, when = () => true) {
  const original = object[name];
  object[name] = function (...args) {
    const error = when(args) ? fault(name, target(args)) : null;
    if (error) throw error;
    return original.apply(this, args);
  };
}

function wrapAsync(object, name, target, when = () => true) {
  const original = object[name];
  object[name] = function (...args) {
    const error = when(args) ? fault(name, target(args)) : null;
    if (error) return Promise.reject(error);
    return original.apply(this, args);
  };
}

function wrapCallback(object, name, target) {
  const original = object[name];
  object[name] = function (...args) {
    const error = fault(name, target(args));
    if (error) {
      const callback = args.at(-1);
      process.nextTick(() => callback(error));
      return undefined;
    }
    return original.apply(this, args);
  };
}

const first = (args) => args[0];
const second = (args) => args[1];
for (const name of ['writeFileSync', 'appendFileSync', 'mkdirSync', 'mkdtempSync']) wrapSync(fs, name, first);
wrapSync(fs, 'renameSync', second);
wrapSync(fs, 'copyFileSync', second);
wrapSync(fs, 'openSync', first, (args) => writing(args[1]));
for (const name of ['writeFile', 'appendFile', 'mkdir']) wrapAsync(fs.promises, name, first);
wrapAsync(fs.promises, 'rename', second);
wrapAsync(fs.promises, 'copyFile', second);
wrapAsync(fs.promises, 'open', first, (args) => writing(args[1]));
wrapCallback(fs, 'rename', second);
