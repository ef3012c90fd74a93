/**
 * A write whose answer did not come in time: the orders service may have done it or not. Answered
 * 202 with the resource to look at (never 503 "not done", which invites a blind retry).
 */
export class OutcomeUnknown extends Error {
  constructor(readonly resource: string) {
    super('outcome unknown');
  }

  get body() {
    return {
      state: 'unknown' as const,
      detail:
        'The request was accepted but its outcome is unknown (the orders service did not answer in time). ' +
        'Read the resource before sending it again.',
      resource: this.resource,
    };
  }
}
