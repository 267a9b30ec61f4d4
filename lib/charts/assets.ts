import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * The files the chart renderer loads at run time, named as packages export them: resvg's
 * WebAssembly build and the Inter typeface (SIL Open Font License), regular and semibold.
 *
 * They are read from disk rather than bundled: the wasm is 2.4 MiB, and as a base64 string in the
 * bundle it would be parsed on every cold start and bloat the source map. The spendingPicture
 * function's package carries them at these paths under node_modules/ (serverless.yml, its
 * `package.patterns`), so the same resolution works in Lambda, in the bench's bundles and from
 * source under tsx and vitest. Lambda has no system fonts: these are the only ones the renderer has.
 */
export const CHART_ASSETS = {
  renderer: '@resvg/resvg-wasm/index_bg.wasm',
  fonts: ['@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf', '@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf'],
} as const;

/** The family name inside those font files, which the SVG asks for. */
export const CHART_FONT_FAMILY = 'Inter';

/**
 * Where each asset is on disk, for serverless.yml's patterns: the resolution needs the package's
 * own package.json where it declares `exports` (resvg-wasm does).
 */
export const packagedAssetFiles = (): string[] => [
  'node_modules/@resvg/resvg-wasm/package.json',
  `node_modules/${CHART_ASSETS.renderer}`,
  ...CHART_ASSETS.fonts.map((font) => `node_modules/${font}`),
];

const resolveAsset = createRequire(import.meta.url).resolve;

export async function readChartAssets(): Promise<{ renderer: Uint8Array; fonts: Uint8Array[] }> {
  const [renderer, ...fonts] = await Promise.all([CHART_ASSETS.renderer, ...CHART_ASSETS.fonts].map((name) => readFile(resolveAsset(name))));
  return { renderer: renderer!, fonts };
}
