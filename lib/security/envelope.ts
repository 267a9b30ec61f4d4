import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretUnreadable } from '../errors';

/**
 * Envelope encryption for secrets at rest (bank access tokens). Each secret gets its own data key
 * from a key provider (KMS in AWS, a local provider on a laptop), bound to an encryption context
 * (whose secret it is: person and bank item). The data key encrypts the secret with AES-256-GCM,
 * and the context is also the GCM additional data, so a sealed secret copied onto another
 * person's record cannot be opened with that person's context.
 */
export type EncryptionContext = Readonly<Record<string, string>>;

export interface DataKey {
  plaintext: Uint8Array;
  /** The data key encrypted under the provider's master key; safe to store. */
  encrypted: Uint8Array;
  keyId: string;
}

export interface KeyProvider {
  generateDataKey(context: EncryptionContext): Promise<DataKey>;
  decryptDataKey(encrypted: Uint8Array, keyId: string, context: EncryptionContext): Promise<Uint8Array>;
}

/** What is stored: no plaintext, and nothing usable without the key provider and the right context. */
export interface SealedSecret {
  v: 1;
  keyId: string;
  /** encrypted data key */
  edk: string;
  iv: string;
  ct: string;
  tag: string;
}

/** Canonical form of a context: sorted keys, so the same context always gives the same bytes. */
export const canonicalContext = (context: EncryptionContext): Buffer =>
  Buffer.from(JSON.stringify(Object.keys(context).sort().map((key) => [key, context[key]])), 'utf8');

export async function seal(plaintext: string, context: EncryptionContext, keys: KeyProvider): Promise<SealedSecret> {
  const dataKey = await keys.generateDataKey(context);
  try {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', dataKey.plaintext, iv, { authTagLength: 16 });
    cipher.setAAD(canonicalContext(context));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 1,
      keyId: dataKey.keyId,
      edk: Buffer.from(dataKey.encrypted).toString('base64'),
      iv: iv.toString('base64'),
      ct: ct.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  } finally {
    dataKey.plaintext.fill(0);
  }
}

export async function open(sealed: SealedSecret, context: EncryptionContext, keys: KeyProvider): Promise<string> {
  let key: Uint8Array;
  try {
    key = await keys.decryptDataKey(Buffer.from(sealed.edk, 'base64'), sealed.keyId, context);
  } catch (error) {
    if (error instanceof SecretUnreadable) throw error;
    // KMS refuses a wrong context with InvalidCiphertextException; other failures (throttling,
    // network) stay what they are so callers can retry them.
    if ((error as Error).name === 'InvalidCiphertextException') throw new SecretUnreadable('Secret cannot be opened with this context');
    throw error;
  }
  try {
    // A full 16-byte tag only: Node would otherwise accept a truncated one (far easier to forge).
    const tag = Buffer.from(sealed.tag, 'base64');
    if (tag.length !== 16) throw new SecretUnreadable('Secret cannot be opened with this context');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(canonicalContext(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretUnreadable('Secret cannot be opened with this context');
  } finally {
    key.fill(0);
  }
}
