export type { Delivery, DeliveryRequest, DeliveryResponse } from './contract';
export {
  type DeliveryConfig,
  type DeliverySettings,
  defaultDeliverySettings,
  deliveryConfigSchema,
  deliveryConfigShape,
  settingsFromConfig,
} from './config';
export { DeliveryFailedError, DeliveryTimeoutError, SendError, isPermanentError } from './errors';
export { type DeliveryOptions, createDelivery } from './producer';
export type { Sender, SenderMap } from './sender';
export { SlackSender, type SlackSenderOptions } from './slack-sender';
export {
  type DeliveryFailureHandler,
  type DeliveryWorker,
  type DeliveryWorkerOptions,
  startDeliveryWorker,
} from './worker';
