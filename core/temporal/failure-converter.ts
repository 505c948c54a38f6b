import { DefaultFailureConverter } from '@temporalio/common';

/**
 * The failure converter of every client, worker and workflow (Temporal loads it by the name
 * `failureConverter`). `encodeCommonAttributes` moves each failure's message and stack trace into
 * a payload, so the codec encrypts them too: without it, an error that quotes its input ("invalid
 * card 4111…") would sit readable in history. Temporal's UI and CLI decode it through the codec.
 * Bundled into the workflow sandbox: workflow-safe.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
