import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OEM, createWorker } from 'tesseract.js';
import type { Worker } from 'tesseract.js';
import { documentInvalid, messageOf } from './errors';

/**
 * The English LSTM model from the @tesseract.js-data/eng package (4.0.0_best_int, the model
 * tesseract.js itself defaults to) — read from node_modules, never downloaded.
 */
export const englishLangPath = join(
  dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/eng/package.json')),
  '4.0.0_best_int',
);

/**
 * One tesseract.js worker (a worker thread with the wasm core from node_modules) for the tool's
 * life: made once, fed one image at a time (a queue), terminated on close. Offline by design:
 * langPath is a local folder, the traineddata is gunzipped in memory and never cached to disk
 * (cacheMethod 'none'), so nothing is fetched or written at run time.
 */
export class OcrEngine {
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly worker: Worker) {}

  static async start(langPath: string = englishLangPath): Promise<OcrEngine> {
    const worker = await createWorker('eng', OEM.LSTM_ONLY, {
      langPath,
      gzip: true,
      cacheMethod: 'none',
      // A failed job rejects its own promise; without this the worker's error would also be thrown.
      errorHandler: () => undefined,
    });
    return new OcrEngine(worker);
  }

  /** The text of one PNG or JPEG image, and tesseract's mean confidence (0–100). */
  recognize(image: Buffer, activity: string): Promise<{ text: string; confidence: number }> {
    const job = this.#queue.then(async () => {
      try {
        const { data } = await this.worker.recognize(image);
        return { text: data.text.trim(), confidence: Math.max(0, Math.min(100, data.confidence)) };
      } catch (error) {
        throw documentInvalid(activity, `the image could not be read for OCR (${messageOf(error)})`);
      }
    });
    this.#queue = job.catch(() => undefined);
    return job;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
