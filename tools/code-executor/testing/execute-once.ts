/**
 * One code.execute call from a Node process of its own, started as production starts a worker
 * (`tsx worker/main.ts`: tsx loaded in the parent): `<workflows dir> <function> <input JSON>`,
 * printing the result as JSON. tool.test.ts runs it.
 */
import { createLogicRegistry } from '../../../config/logic';
import { CodeExecutorTool } from '../tool';

const [dir, fqn, input] = process.argv.slice(2);
const tool = new CodeExecutorTool(await createLogicRegistry(dir), {
  CODE_EXECUTOR_TIMEOUT_MS: 20_000,
  CODE_EXECUTOR_MAX_MEMORY_MB: 64,
});
await tool.ready();
process.stdout.write(JSON.stringify(await tool.execute({ function: fqn!, input: JSON.parse(input!) })));
