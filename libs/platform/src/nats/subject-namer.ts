/**
 * Maps the logical names from `@orderhub/contracts` to what this deployment uses on NATS.
 * A prefix (e.g. per test file) keeps subjects, streams and durables of parallel runs apart.
 */
export class SubjectNamer {
  constructor(readonly prefix: string) {}

  subject(logical: string): string {
    return this.prefix ? `${this.prefix}.${logical}` : logical;
  }

  logical(subject: string): string {
    return this.prefix && subject.startsWith(`${this.prefix}.`) ? subject.slice(this.prefix.length + 1) : subject;
  }

  stream(name: string): string {
    return this.prefix ? `${this.prefix}_${name}` : name;
  }

  durable(name: string): string {
    return (this.prefix ? `${this.prefix}_${name}` : name).replace(/[.*>\s]/g, '_');
  }

  bucket(name: string): string {
    return this.durable(name);
  }
}
