/** The service's name: its logs, metrics and the durable names of its JetStream consumers. */
export const SERVICE = 'fulfillment-wemalo';
