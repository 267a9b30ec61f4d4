import { describe, expect, it } from 'vitest';
import { readServerlessConfig } from '../../dev/serverless-config';
import { deployTarget, optionValues, oslsDeployArgs, variableDefault } from '../../scripts/deploy-target';

/** `npm run deploy`: the stage and region it prints are the ones osls deploys to. */
const provider = (readServerlessConfig() as { provider: { stage: string; region: string } }).provider;

describe('npm run deploy target', () => {
  it("defaults to serverless.yml's stage and region, and says they are defaults", () => {
    expect(deployTarget([], provider)).toEqual({ stage: 'dev', region: 'eu-west-1', profile: undefined, stageIsDefault: true, regionIsDefault: true });
  });

  it('takes --stage, --region and --aws-profile in each of the forms osls accepts', () => {
    expect(deployTarget(['--stage', 'prod', '-r', 'us-east-2', '--aws-profile=ops'], provider)).toEqual({
      stage: 'prod',
      region: 'us-east-2',
      profile: 'ops',
      stageIsDefault: false,
      regionIsDefault: false,
    });
    expect(optionValues(['-s', 'prod', '--region=eu-central-1', '--verbose'])).toEqual({ stage: 'prod', region: 'eu-central-1' });
  });

  it('refuses an option without its value rather than deploying somewhere unintended', () => {
    expect(() => optionValues(['--stage'])).toThrow('--stage needs a value');
    expect(() => optionValues(['--stage', '--verbose'])).toThrow('--stage needs a value');
  });

  it('passes the printed stage and region to osls explicitly, with the other arguments untouched', () => {
    const target = deployTarget(['--verbose'], provider);

    expect(oslsDeployArgs(['--verbose'], target)).toEqual(['deploy', '--verbose', '--stage', 'dev', '--region', 'eu-west-1']);
    expect(oslsDeployArgs(['--stage', 'prod', '--region', 'us-east-2'], deployTarget(['--stage', 'prod', '--region', 'us-east-2'], provider))).toEqual([
      'deploy',
      '--stage',
      'prod',
      '--region',
      'us-east-2',
    ]);
  });

  it("reads a default only from serverless.yml's ${opt:…, '…'} form", () => {
    expect(variableDefault("${opt:stage, 'dev'}", 'stage')).toBe('dev');
    expect(() => variableDefault('eu-west-1', 'region')).toThrow(/not of the form/);
  });
});
