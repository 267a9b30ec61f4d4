import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { withoutSdkLogging } from '../aws/sdk-logging';
import { SecretUnreadable } from '../errors';
import type { DataKey, EncryptionContext, KeyProvider } from './envelope';

/**
 * Data keys from AWS KMS under a customer-managed key. The encryption context is passed to KMS,
 * which binds it cryptographically and logs it in CloudTrail; the key policy can require it (see
 * serverless.yml), so only functions that hold bank tokens, for the right person, can unwrap.
 */
export function createKmsKeyProvider(options: { keyId: string; region: string; client?: KMSClient }): KeyProvider {
  const kms =
    options.client ??
    withoutSdkLogging(new KMSClient({ region: options.region, maxAttempts: 3, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true } }));
  return {
    async generateDataKey(context: EncryptionContext): Promise<DataKey> {
      const out = await kms.send(new GenerateDataKeyCommand({ KeyId: options.keyId, KeySpec: 'AES_256', EncryptionContext: { ...context } }));
      if (!out.Plaintext || !out.CiphertextBlob || !out.KeyId) throw new SecretUnreadable('KMS returned no data key');
      return { plaintext: out.Plaintext, encrypted: out.CiphertextBlob, keyId: out.KeyId };
    },
    async decryptDataKey(encrypted: Uint8Array, keyId: string, context: EncryptionContext): Promise<Uint8Array> {
      const out = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted, KeyId: keyId, EncryptionContext: { ...context } }));
      if (!out.Plaintext) throw new SecretUnreadable('KMS returned no plaintext');
      return out.Plaintext;
    },
  };
}
