import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigurationError, SecretUnreadable } from '../errors';
import { canonicalContext, type DataKey, type EncryptionContext, type KeyProvider } from './envelope';

/**
 * The key provider for a laptop and for tests: behaves like KMS (random data keys, wrapped under a
 * master key, the encryption context bound as additional data so a wrong context cannot unwrap),
 * with the master key from configuration instead of an HSM. Never used in AWS.
 */
export function createLocalKeyProvider(masterKeyBase64: string): KeyProvider {
  const master = Buffer.from(masterKeyBase64, 'base64');
  if (master.length !== 32) throw new ConfigurationError('LOCAL_MASTER_KEY must be 32 bytes, base64-encoded');
  const keyId = `local:${createHash('sha256').update(master).digest('hex').slice(0, 16)}`;

  return {
    async generateDataKey(context: EncryptionContext): Promise<DataKey> {
      const plaintext = randomBytes(32);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', master, iv);
      cipher.setAAD(canonicalContext(context));
      const wrapped = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { plaintext, encrypted: Buffer.concat([iv, cipher.getAuthTag(), wrapped]), keyId };
    },
    async decryptDataKey(encrypted: Uint8Array, id: string, context: EncryptionContext): Promise<Uint8Array> {
      if (id !== keyId) throw new SecretUnreadable('Sealed with another master key');
      const bytes = Buffer.from(encrypted);
      try {
        if (bytes.length < 28 + 32) throw new SecretUnreadable('Secret cannot be opened with this context');
        const decipher = createDecipheriv('aes-256-gcm', master, bytes.subarray(0, 12), { authTagLength: 16 });
        decipher.setAAD(canonicalContext(context));
        decipher.setAuthTag(bytes.subarray(12, 28));
        return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
      } catch (error) {
        if (error instanceof SecretUnreadable) throw error;
        throw new SecretUnreadable('Secret cannot be opened with this context');
      }
    },
  };
}
