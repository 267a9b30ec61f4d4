/**
 * The Python side of the deploy check: AWS's linter (cfn-lint) and the local AWS mock (moto in
 * server mode), both from one interpreter so that their versions are reported together.
 */
import { runCommand } from './processes';

/** `python3` on the PATH, unless DEPLOY_CHECK_PYTHON names another interpreter. */
export const pythonCommand = (env: NodeJS.ProcessEnv = process.env) => env.DEPLOY_CHECK_PYTHON || 'python3';

export const INSTALL_HINT = "pip install cfn-lint 'moto[server]'";

export interface PythonTools {
  python: string;
  pythonVersion: string;
  cfnLint: string;
  moto: string;
}

export class MissingTools extends Error {
  override readonly name = 'MissingTools';
}

// moto.server needs the [server] extra (flask, werkzeug): importing it proves the extra is there.
const PROBE = `
import json, platform, sys
found = {"python": sys.executable, "pythonVersion": platform.python_version()}
try:
    import cfnlint.version
    found["cfnLint"] = cfnlint.version.__version__
except ImportError:
    pass
try:
    import moto, moto.server
    found["moto"] = moto.__version__
except ImportError:
    pass
print(json.dumps(found))
`;

/** What the interpreter has; throws MissingTools (with the install command) when anything lacks. */
export async function findPythonTools(python = pythonCommand()): Promise<PythonTools> {
  let found: Partial<PythonTools>;
  try {
    const { code, output } = await runCommand(python, ['-c', PROBE], { timeoutMs: 30_000 });
    if (code !== 0) throw new Error(output.trim());
    found = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Partial<PythonTools>;
  } catch (error) {
    throw new MissingTools(missingToolsMessage(python, ['python'], error instanceof Error ? error.message : String(error)));
  }
  const missing = (['cfnLint', 'moto'] as const).filter((tool) => !found[tool]);
  if (missing.length > 0) throw new MissingTools(missingToolsMessage(found.python ?? python, missing.map((m) => (m === 'cfnLint' ? 'cfn-lint' : 'moto[server]'))));
  return found as PythonTools;
}

export function missingToolsMessage(python: string, missing: string[], detail?: string): string {
  return [
    `The deploy check needs cfn-lint and moto (server mode) in a Python 3 (${missing.join(', ')} not found with ${python}${detail ? `: ${detail}` : ''}).`,
    `Install them with:  ${INSTALL_HINT}`,
    'or name the interpreter that has them with DEPLOY_CHECK_PYTHON=/path/to/python3.',
  ].join('\n');
}

/** cfn-lint's own entry point, run by the same interpreter. */
export const CFN_LINT_MAIN = 'import sys; from cfnlint.runner import main; sys.exit(main())';

export function cfnLintArgs(configFile: string, templates: string[]): string[] {
  return ['-c', CFN_LINT_MAIN, '--config-file', configFile, '--', ...templates];
}
