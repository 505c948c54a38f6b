import { implementActivity } from '../../core/registry/activity-registry';
import type { ActivityImplementation } from '../../core/registry/activity-registry';
import { defineTool } from '../../core/registry/tool-module';
import type { ToolContext } from '../../core/registry/tool-module';
import type { CoreConfig } from '../../core/config';
import type { DocumentsToolConfig } from './config';
import {
  documentsOcr,
  documentsParseEmail,
  documentsPdfText,
  documentsReadSheet,
  documentsSpecs,
  documentsTransform,
} from './specs';
import { DocumentsTool } from './tool';

/**
 * Activities of the documents tool. Only documents.ocr waits for the tool's initialization (its
 * tesseract worker); the others need no client.
 */
export function createDocumentsActivities(tool: DocumentsTool): ActivityImplementation[] {
  return [
    implementActivity(documentsPdfText, (input) => tool.pdfText(input)),
    implementActivity(
      documentsOcr,
      tool.whenReady((input) => tool.ocr(input)),
    ),
    implementActivity(documentsReadSheet, (input) => tool.readSheet(input)),
    implementActivity(documentsParseEmail, (input) => tool.parseEmail(input)),
    implementActivity(documentsTransform, (input) => tool.transform(input)),
  ];
}

/** The documents tool for the worker (found by folder: worker/tool-modules.ts). */
export const tool = defineTool<CoreConfig & DocumentsToolConfig>({
  name: 'documents',
  specs: documentsSpecs,
  activities: (context: ToolContext<CoreConfig & DocumentsToolConfig>) => {
    const documents = new DocumentsTool(context.config, context.blobs);
    context.onClose(() => documents.close());
    return createDocumentsActivities(documents);
  },
});
