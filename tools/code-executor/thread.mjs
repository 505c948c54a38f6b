// The thread a business-logic function runs in (started by tool.ts with an empty environment, a
// heap cap and a wall-clock timer). Plain JavaScript, so it starts without a TypeScript loader;
// it then registers tsx (a production dependency) for this thread and imports the function's
// .ts file. It reports exactly one message: { ok: true, output } or { ok: false, phase, error }.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

const { file, name, input } = workerData;

function report(phase, error) {
  const {
    name: errorName,
    message,
    stack,
  } = error instanceof Error ? error : { name: 'Error', message: String(error), stack: undefined };
  parentPort.postMessage({ ok: false, phase, error: { name: errorName, message, stack } });
}

let logic;
try {
  const { register } = await import('tsx/esm/api');
  register();
  const exports = await import(pathToFileURL(file).href);
  logic = exports[name];
  if (typeof logic?.run !== 'function') throw new Error(`${file} exports no defineLogic named ${name}`);
} catch (error) {
  report('load', error);
}

if (logic) {
  let result;
  try {
    result = { ok: true, output: await logic.run(input) };
  } catch (error) {
    report('run', error);
  }
  if (result) {
    try {
      parentPort.postMessage(result);
    } catch (error) {
      // A result structured clone cannot copy (a function, a class instance with private state).
      report('result', error);
    }
  }
}
