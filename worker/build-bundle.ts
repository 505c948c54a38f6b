/** `npm run build`: writes dist/workflow-bundle.js; production workers load it via WORKFLOW_BUNDLE_PATH. */
import { buildWorkflowBundle } from './bundle';
import { defaultBundlePath } from './paths';

const started = Date.now();
const path = await buildWorkflowBundle(process.argv[2] ?? defaultBundlePath);
process.stdout.write(`Workflow bundle written to ${path} in ${Date.now() - started} ms\n`);
