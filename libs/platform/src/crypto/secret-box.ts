import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM envelope for channel credentials at rest and on the wire to connectors.
 * Format `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url): the key id lets keys rotate — new secrets
 * use the active key, old ones still decrypt with the key they name.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  constructor(
    keys: Record<string, Buffer>,
    private readonly activeKeyId: string,
  ) {
    this.keys = new Map(Object.entries(keys));
    for (const [id, key] of this.keys) {
      if (key.length !== 32) throw new Error(`secret key ${id} must be 32 bytes, is ${key.length}`);
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`secret key id ${id} may hold letters, digits, _ and - only`);
    }
    if (!this.keys.has(activeKeyId)) throw new Error(`active secret key ${activeKeyId} is not in the key ring`);
  }

  /** `SECRETS_KEYS="k1:<base64 32 bytes>,k2:…"`, `SECRETS_ACTIVE_KEY=k2`. */
  static fromEnv(keysSpec: string, activeKeyId: string): SecretBox {
    const keys: Record<string, Buffer> = {};
    for (const part of keysSpec
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [id, material] = part.split(':');
      if (!id || !material) throw new Error('SECRETS_KEYS entries look like "<id>:<base64 key>"');
      keys[id] = Buffer.from(material, 'base64');
    }
    return new SecretBox(keys, activeKeyId);
  }

  encrypt(plain: unknown): string {
    const key = this.keys.get(this.activeKeyId) as Buffer;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(this.activeKeyId));
    const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    return ['v1', this.activeKeyId, iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  decrypt<T = unknown>(envelope: string): T {
    const [version, keyId, iv, tag, body] = envelope.split('.');
    if (version !== 'v1' || !keyId || !iv || !tag || body === undefined) throw new Error('not a secret envelope');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`secret key ${keyId} is not in the key ring`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }

  keyIdOf(envelope: string): string | undefined {
    return envelope.split('.')[1];
  }
}
