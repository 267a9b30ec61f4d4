/**
 * Which stage and region an `osls deploy` with these arguments targets, read the way osls reads
 * them: the --stage / --region options, else the defaults serverless.yml gives
 * (`stage: ${opt:stage, 'dev'}`, `region: ${opt:region, 'eu-west-1'}`).
 */

export interface DeployTarget {
  stage: string;
  region: string;
  /** The --aws-profile option, which osls uses instead of AWS_PROFILE. */
  profile: string | undefined;
  stageIsDefault: boolean;
  regionIsDefault: boolean;
}

/** `${opt:stage, 'dev'}` → 'dev'. */
export function variableDefault(expression: unknown, option: string): string {
  const match = typeof expression === 'string' ? new RegExp(`^\\$\\{opt:${option},\\s*'([^']+)'\\}$`).exec(expression.trim()) : null;
  if (!match) throw new Error(`serverless.yml's provider.${option} is not of the form \${opt:${option}, '<default>'}: ${String(expression)}`);
  return match[1]!;
}

const OPTION_ALIASES: Record<string, string> = { '-s': 'stage', '--stage': 'stage', '-r': 'region', '--region': 'region', '--aws-profile': 'aws-profile' };

/** The value of each option given, in its `--stage prod`, `--stage=prod` or `-s prod` form. */
export function optionValues(args: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const name = OPTION_ALIASES[flag];
    if (!name) continue;
    const value = inline ?? args[i + 1];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('-'))) throw new Error(`${flag} needs a value`);
    values[name] = value;
    if (inline === undefined) i += 1;
  }
  return values;
}

export function deployTarget(args: readonly string[], provider: { stage?: unknown; region?: unknown }): DeployTarget {
  const given = optionValues(args);
  return {
    stage: given.stage ?? variableDefault(provider.stage, 'stage'),
    region: given.region ?? variableDefault(provider.region, 'region'),
    profile: given['aws-profile'],
    stageIsDefault: given.stage === undefined,
    regionIsDefault: given.region === undefined,
  };
}

/**
 * The arguments osls gets: the operator's, with the stage and region made explicit, so that what
 * was printed is what is deployed even if serverless.yml's defaults change in between.
 */
export function oslsDeployArgs(args: readonly string[], target: DeployTarget): string[] {
  return ['deploy', ...args, ...(target.stageIsDefault ? ['--stage', target.stage] : []), ...(target.regionIsDefault ? ['--region', target.region] : [])];
}
