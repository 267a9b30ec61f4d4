/**
 * `npm run messenger:profile [-- --stage <stage>] [--dry-run]`: sets the Page's Get Started button,
 * greeting, ice breakers and persistent menu (lib/messenger/profile.ts) through the Graph API.
 *
 * With --stage, the Page access token is read from SSM (/messenger-banking/<stage>/…, as the
 * deployed functions read it) with the operator's AWS credentials, and GRAPH_API_URL defaults to
 * Meta's. Without it, the local configuration (.env, or the environment) is used, which points at
 * the Graph API stub of `npm start`.
 */
import { parseArgs } from 'node:util';
import { createSecretLoader, parseConfig } from '../lib/config';
import { messengerProfile, setMessengerProfile } from '../lib/messenger/profile';
import { loadLocalEnv } from '../dev/env';

const { values } = parseArgs({ options: { stage: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });

if (!values.stage) loadLocalEnv();
const env: Record<string, string | undefined> = { ...process.env };
if (values.stage) {
  if (!/^[a-z0-9-]{1,20}$/.test(values.stage)) throw new Error('--stage must be a stage name like "prod"');
  env.SECRETS_SOURCE = 'ssm';
  env.SECRETS_SSM_PREFIX = `/messenger-banking/${values.stage}`;
  env.GRAPH_API_URL ??= 'https://graph.facebook.com/v25.0';
}
env.TABLE_NAME ??= 'unused';
env.AUDIT_TABLE_NAME ??= 'unused';
const config = parseConfig(env);
const profile = messengerProfile({ brand: config.BRAND_NAME, publicBaseUrl: config.PUBLIC_BASE_URL });

if (values['dry-run']) {
  console.log(JSON.stringify(profile, null, 2));
} else {
  const token = await createSecretLoader(config, env)('MESSENGER_PAGE_ACCESS_TOKEN');
  await setMessengerProfile(profile, { graphApiUrl: config.GRAPH_API_URL, pageAccessToken: token });
  console.log(`Messenger profile set through ${config.GRAPH_API_URL}: Get Started, greeting, ${profile.ice_breakers[0]!.call_to_actions.length} ice breakers and a menu of ${profile.persistent_menu[0]!.call_to_actions.length}, in ${profile.greeting.length} locales.`);
}
