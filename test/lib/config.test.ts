import { describe, expect, it } from 'vitest';
import { createSecretLoader, parseConfig } from '../../lib/config';
import type { Config } from '../../lib/config';
import { ConfigurationError } from '../../lib/errors';

const minimal = {
  TABLE_NAME: 'messenger-banking-dev-main',
  AUDIT_TABLE_NAME: 'messenger-banking-dev-audit',
  GRAPH_API_URL: 'https://graph.facebook.com/v25.0',
};

/** The ConfigurationError parseConfig fails with; fails the test when it does not. */
const configError = (env: Record<string, string | undefined>): ConfigurationError => {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
};

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
};

describe('parseConfig', () => {
  it('accepts the three required settings', () => {
    const config = parseConfig(minimal);

    expect(config).toMatchObject(minimal);
  });

  it('fails with a ConfigurationError naming TABLE_NAME when it is missing', () => {
    const { TABLE_NAME: _omitted, ...env } = minimal;

    expect(configError(env).message).toContain('TABLE_NAME');
  });

  it('counts an empty TABLE_NAME as unset', () => {
    expect(configError({ ...minimal, TABLE_NAME: '' }).message).toContain('TABLE_NAME');
  });

  it('names every missing required setting', () => {
    const { message } = configError({});

    expect(message).toContain('TABLE_NAME');
    expect(message).toContain('AUDIT_TABLE_NAME');
    expect(message).toContain('GRAPH_API_URL');
  });

  it('applies the defaults', () => {
    const config = parseConfig(minimal);

    expect(config).toMatchObject({
      PUBLIC_BASE_URL: '',
      AWS_REGION: 'eu-west-1',
      SECRETS_SOURCE: 'env',
      INBOX_TTL_DAYS: 7,
      WEBHOOK_MAX_BODY_BYTES: 1024 * 1024,
    });
    expect(config.DYNAMODB_ENDPOINT).toBeUndefined();
    expect(config.SECRETS_SSM_PREFIX).toBeUndefined();
  });

  it('applies the defaults when optional settings are empty strings', () => {
    const config = parseConfig({ ...minimal, AWS_REGION: '', INBOX_TTL_DAYS: '', SECRETS_SOURCE: '', DYNAMODB_ENDPOINT: '' });

    expect(config).toMatchObject({ AWS_REGION: 'eu-west-1', INBOX_TTL_DAYS: 7, SECRETS_SOURCE: 'env' });
    expect(config.DYNAMODB_ENDPOINT).toBeUndefined();
  });

  it('reads numbers from their string form', () => {
    const config = parseConfig({ ...minimal, INBOX_TTL_DAYS: '30', WEBHOOK_MAX_BODY_BYTES: '65536' });

    expect(config).toMatchObject({ INBOX_TTL_DAYS: 30, WEBHOOK_MAX_BODY_BYTES: 65536 });
  });

  it('names a setting that is out of range', () => {
    expect(configError({ ...minimal, INBOX_TTL_DAYS: '91' }).message).toContain('INBOX_TTL_DAYS');
  });

  it('names GRAPH_API_URL when it is not a URL', () => {
    expect(configError({ ...minimal, GRAPH_API_URL: 'graph.facebook.com' }).message).toContain('GRAPH_API_URL');
  });

  it.each(['privacy@demo-bank.example', 'https://demo-bank.example/privacy'])('accepts %s as the PRIVACY_CONTACT consent records name', (contact) => {
    expect(parseConfig({ ...minimal, PRIVACY_CONTACT: contact }).PRIVACY_CONTACT).toBe(contact);
  });

  it.each(['http://demo-bank.example/privacy', 'javascript:alert(1)', 'call us', 'a@b'])('names PRIVACY_CONTACT when it is %s: neither an email address nor an https URL', (contact) => {
    expect(configError({ ...minimal, PRIVACY_CONTACT: contact }).message).toContain('PRIVACY_CONTACT');
  });

  it('fails with SECRETS_SOURCE=ssm and no SECRETS_SSM_PREFIX, naming SECRETS_SSM_PREFIX', () => {
    expect(configError({ ...minimal, SECRETS_SOURCE: 'ssm' }).message).toContain('SECRETS_SSM_PREFIX');
  });

  it('accepts SECRETS_SOURCE=ssm with a SECRETS_SSM_PREFIX', () => {
    const config = parseConfig({ ...minimal, SECRETS_SOURCE: 'ssm', SECRETS_SSM_PREFIX: '/messenger-banking/dev' });

    expect(config).toMatchObject({ SECRETS_SOURCE: 'ssm', SECRETS_SSM_PREFIX: '/messenger-banking/dev' });
  });

  it('does not put secret values from the environment into its error', () => {
    const { TABLE_NAME: _omitted, ...rest } = minimal;
    const env = { ...rest, MESSENGER_APP_SECRET: 'app-secret-value-1234', MESSENGER_PAGE_ACCESS_TOKEN: 'EAAGpageTokenValue' };

    const { message } = configError(env);

    expect(message).not.toContain('app-secret-value-1234');
    expect(message).not.toContain('EAAGpageTokenValue');
  });
});

describe('createSecretLoader (SECRETS_SOURCE=env)', () => {
  const config: Config = parseConfig(minimal);

  it('returns the secret from the environment', async () => {
    const load = createSecretLoader(config, { MESSENGER_APP_SECRET: 'app-secret-value-1234' });

    expect(await load('MESSENGER_APP_SECRET')).toBe('app-secret-value-1234');
  });

  it('keeps the first value it loaded when the environment changes afterwards', async () => {
    const env: Record<string, string | undefined> = { MESSENGER_VERIFY_TOKEN: 'first-verify-token' };
    const load = createSecretLoader(config, env);
    await load('MESSENGER_VERIFY_TOKEN');
    env.MESSENGER_VERIFY_TOKEN = 'second-verify-token';

    expect(await load('MESSENGER_VERIFY_TOKEN')).toBe('first-verify-token');
  });

  it('rejects a missing secret with a ConfigurationError naming it', async () => {
    const load = createSecretLoader(config, { MESSENGER_APP_SECRET: 'app-secret-value-1234' });

    const error = await rejection(load('MESSENGER_PAGE_ACCESS_TOKEN'));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('MESSENGER_PAGE_ACCESS_TOKEN');
  });

  it('counts an empty secret as missing', async () => {
    const load = createSecretLoader(config, { MESSENGER_APP_SECRET: '' });

    await expect(load('MESSENGER_APP_SECRET')).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('never puts other secrets’ values in the error for a missing one', async () => {
    const env = { MESSENGER_APP_SECRET: 'app-secret-value-1234', MESSENGER_VERIFY_TOKEN: 'verify-token-5678' };
    const load = createSecretLoader(config, env);

    const error = (await rejection(load('MESSENGER_PAGE_ACCESS_TOKEN'))) as Error;

    expect(error.message).not.toContain('app-secret-value-1234');
    expect(error.message).not.toContain('verify-token-5678');
  });

  it('finds a secret on a later call once it has been set after a failed load', async () => {
    const env: Record<string, string | undefined> = {};
    const load = createSecretLoader(config, env);
    await load('MESSENGER_APP_SECRET').catch(() => undefined);
    env.MESSENGER_APP_SECRET = 'app-secret-value-1234';

    expect(await load('MESSENGER_APP_SECRET')).toBe('app-secret-value-1234');
  });
});
