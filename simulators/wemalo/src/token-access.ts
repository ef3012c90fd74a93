/**
 * The access token wemalo-connect takes. wemalo issues tokens by hand ("you'll get it from your wemalo
 * contact"), so a token can be replaced (the old one answers 401 from then on) or the account locked
 * for a while (every token answers 401) and unlocked again; the admin API plays both.
 */
export class TokenAccess {
  private locked = false;

  constructor(private token: string) {}

  accepts(presented: string | undefined): boolean {
    return !this.locked && presented === this.token;
  }

  set(change: { token?: string; locked?: boolean }): { locked: boolean } {
    if (change.token !== undefined) this.token = change.token;
    if (change.locked !== undefined) this.locked = change.locked;
    return { locked: this.locked };
  }
}
