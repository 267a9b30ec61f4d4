import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { once } from '../once';
import { money } from '../text/format';
import { CHART_FONT_FAMILY, readChartAssets } from './assets';
import { withDescription } from './png';

/**
 * Horizontal bar charts as PNG images, drawn on the server: the chart is laid out as SVG here and
 * rasterised by resvg (Rust, compiled to WebAssembly). WebAssembly runs the same on Lambda's arm64
 * and a laptop's x64 from one `npm ci`, where a native renderer (skia, cairo) would need the
 * deployment's platform binary; no browser, no system fonts.
 */
export interface BarChart {
  title: string;
  /** A second line under the title (the period and the total). */
  subtitle?: string;
  bars: { label: string; amount: number }[];
  currency: string;
  locale: string;
  /** The same figures in words, for whoever cannot see the picture: kept in the PNG (withDescription). */
  description: string;
}

export interface RenderedChart {
  png: Uint8Array;
  width: number;
  height: number;
}

export const MAX_BARS = 12;
const MAX_LABEL = 26;

// A phone shows the picture about 300 points wide, so 800 px text is drawn large: 32 px reads
// as about 12 points there.
const WIDTH = 800;
const PAD = 32;
const TOP = 170;
const ROW = 76;
const BAR = { offset: 14, height: 22 };
const TRACK = WIDTH - 2 * PAD;

/** The picture's size for a number of bars: a title, a subtitle, then a row per bar. */
export const barChartSize = (bars: number) => ({ width: WIDTH, height: TOP + (bars - 1) * ROW + BAR.offset + BAR.height + PAD });
// Blue 700 on white is 6.7:1, the grey text 10:1 and more (WCAG AA asks 4.5:1).
const COLORS = { background: '#ffffff', title: '#111827', text: '#1f2937', muted: '#374151', track: '#e5e7eb', bar: '#1d4ed8' };

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const cut = (label: string) => (label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1).trimEnd()}…` : label);

/** The chart as SVG: its bars sorted largest first, each labelled with its amount. */
export function barChartSvg(chart: BarChart): { svg: string; width: number; height: number } {
  if (chart.bars.length === 0 || chart.bars.length > MAX_BARS) throw new RangeError(`a bar chart has 1 to ${MAX_BARS} bars, not ${chart.bars.length}`);
  if (chart.bars.some((b) => !Number.isFinite(b.amount) || b.amount < 0)) throw new RangeError('bar amounts are finite and not negative');
  const bars = [...chart.bars].sort((a, b) => b.amount - a.amount);
  const largest = Math.max(bars[0]!.amount, Number.EPSILON);
  const { height } = barChartSize(bars.length);
  const rows = bars.map((bar, i) => {
    const y = TOP + i * ROW;
    // Even a small amount shows as a sliver, so a bar never reads as missing.
    const length = Math.max(8, Math.round((TRACK * bar.amount) / largest));
    return [
      `<text x="${PAD}" y="${y}" font-size="32" fill="${COLORS.text}">${escapeXml(cut(bar.label))}</text>`,
      `<text x="${WIDTH - PAD}" y="${y}" font-size="32" font-weight="600" text-anchor="end" fill="${COLORS.title}">${escapeXml(money(bar.amount, chart.currency, chart))}</text>`,
      `<rect x="${PAD}" y="${y + BAR.offset}" width="${TRACK}" height="${BAR.height}" rx="${BAR.height / 2}" fill="${COLORS.track}"/>`,
      `<rect x="${PAD}" y="${y + BAR.offset}" width="${length}" height="${BAR.height}" rx="${BAR.height / 2}" fill="${COLORS.bar}"/>`,
    ].join('');
  });
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${CHART_FONT_FAMILY}">`,
    `<rect width="${WIDTH}" height="${height}" fill="${COLORS.background}"/>`,
    `<text x="${PAD}" y="66" font-size="40" font-weight="600" fill="${COLORS.title}">${escapeXml(chart.title)}</text>`,
    chart.subtitle ? `<text x="${PAD}" y="114" font-size="30" fill="${COLORS.muted}">${escapeXml(chart.subtitle)}</text>` : '',
    ...rows,
    '</svg>',
  ].join('');
  return { svg, width: WIDTH, height };
}

/**
 * resvg's WebAssembly and the fonts, loaded by a container's first chart: ~40 ms of the first
 * event, the rest of whose cost is the first drawing itself. Starting the load at init instead
 * (to compile while the first message's reads are under way) measured no faster (npm run bench).
 */
const renderer = once(async () => {
  const assets = await readChartAssets();
  await initWasm(assets.renderer);
  return { fonts: assets.fonts };
});

export async function renderBarChart(chart: BarChart): Promise<RenderedChart> {
  const { svg } = barChartSvg(chart);
  const { fonts } = await renderer();
  const resvg = new Resvg(svg, { font: { fontBuffers: fonts, defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY } });
  // The wasm objects hold memory outside the JS heap until freed.
  try {
    const image = resvg.render();
    try {
      return { png: withDescription(image.asPng(), chart.description), width: image.width, height: image.height };
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
