/** The newest `size` ids added, exactly (a Set keeps insertion order: the oldest goes first). */
export class NewestIds {
  private readonly ids = new Set<string>();

  constructor(private readonly size: number) {}

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.size) this.ids.delete(this.ids.values().next().value as string);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}
