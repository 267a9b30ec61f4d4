import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { barChartSize, barChartSvg, renderBarChart, type BarChart } from '../../../lib/charts/bar-chart';
import { descriptionOf } from '../../../lib/charts/png';

const chart = (bars: BarChart['bars'], overrides: Partial<BarChart> = {}): BarChart => ({
  title: 'Your spending by category',
  subtitle: 'This month (Nov 1 – 14) · $1,753.64 in all',
  bars,
  currency: 'USD',
  locale: 'en-US',
  description: 'Spending this month (Nov 1 – 14): $1,753.64 — most on rent and bills ($1,180.00).',
  ...overrides,
});
const SEVEN = [
  { label: 'Food and drink', amount: 412.1 },
  { label: 'Rent and bills', amount: 1180 },
  { label: 'Shopping', amount: 230.55 },
  { label: 'Transport', amount: 95.2 },
  { label: 'Entertainment', amount: 45.99 },
  { label: 'Other', amount: 20 },
  { label: 'Bank fees', amount: 2.5 },
];

/** The PNG's chunks, in order: what a decoder reads. */
function chunksOf(png: Uint8Array): { type: string; data: Buffer }[] {
  const bytes = Buffer.from(png);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    chunks.push({ type: bytes.toString('latin1', at + 4, at + 8), data: bytes.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

describe('renderBarChart', () => {
  it('draws a valid PNG of 800 px wide, as tall as its bars need, within a few dozen kilobytes', async () => {
    const rendered = await renderBarChart(chart(SEVEN));

    const png = Buffer.from(rendered.png);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const chunks = chunksOf(png);
    expect(chunks[0]!.type).toBe('IHDR');
    expect(chunks.at(-1)!.type).toBe('IEND');
    const ihdr = chunks[0]!.data;
    expect({ width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4) }).toEqual({ width: 800, height: rendered.height });
    expect(rendered).toMatchObject(barChartSize(7));
    // A phone-sized picture: a title, a subtitle and seven bars in well under 800 × 800.
    expect(rendered.height).toBeGreaterThanOrEqual(600);
    expect(rendered.height).toBeLessThanOrEqual(750);
    expect(png.length).toBeGreaterThan(10_000);
    expect(png.length).toBeLessThan(150_000);
    // The pixels decode to exactly the declared size (one filter byte a row, 8-bit RGBA).
    const pixels = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
    expect(pixels.length).toBe(rendered.height * (1 + 800 * 4));
  });

  it('carries the figures in words inside the image (its Description), accents included', async () => {
    const description = 'Gastos este mes (1–14 nov): 1753,64 US$ — sobre todo en renta y servicios (1180,00 US$).\n• Renta y servicios: 1180,00 US$';
    const rendered = await renderBarChart(chart(SEVEN, { description, locale: 'es-US' }));
    expect(descriptionOf(rendered.png)).toBe(description);
  });

  it('grows with its bars: one bar makes a shorter picture than seven', async () => {
    const one = await renderBarChart(chart([{ label: 'Shopping', amount: 12 }]));
    const seven = await renderBarChart(chart(SEVEN));
    expect(one.height).toBeGreaterThan(200);
    expect(seven.height - one.height).toBe(barChartSize(7).height - barChartSize(1).height);
    expect((seven.height - one.height) / 6).toBeGreaterThanOrEqual(60);
  });

  it('draws ink where the longest bar is and leaves the background white where no bar reaches', async () => {
    const rendered = await renderBarChart(chart([{ label: 'Rent', amount: 100 }, { label: 'Coffee', amount: 1 }]));
    const chunks = chunksOf(rendered.png);
    const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
    const stride = 1 + 800 * 4;
    // Undo PNG's per-row filters to read pixels.
    const rows: Buffer[] = [];
    for (let y = 0; y < rendered.height; y++) {
      const filter = raw[y * stride]!;
      const row = Buffer.from(raw.subarray(y * stride + 1, (y + 1) * stride));
      const up = rows[y - 1];
      for (let i = 0; i < row.length; i++) {
        const a = i >= 4 ? row[i - 4]! : 0;
        const b = up ? up[i]! : 0;
        const c = up && i >= 4 ? up[i - 4]! : 0;
        const p = a + b - c;
        const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
        row[i] = (row[i]! + [0, a, b, Math.floor((a + b) / 2), paeth][filter]!) & 0xff;
      }
      rows.push(row);
    }
    const pixel = (x: number, y: number) => [...rows[y]!.subarray(x * 4, x * 4 + 3)];
    // Each bar's middle line: the last bar ends 32 px (the padding) above the bottom, 11 px (half
    // its height) below its middle; the rows are as far apart as one bar adds to the height.
    const row = barChartSize(2).height - barChartSize(1).height;
    const second = rendered.height - 32 - 11;
    const first = second - row;
    // The first (largest) bar is the bar's blue, right to its end.
    expect(pixel(400, first)).toEqual([0x1d, 0x4e, 0xd8]);
    expect(pixel(760, first)).toEqual([0x1d, 0x4e, 0xd8]);
    // The second (1% of the first) leaves the track grey past its sliver.
    expect(pixel(400, second)).toEqual([0xe5, 0xe7, 0xeb]);
    // A corner of the background.
    expect(pixel(5, 5)).toEqual([0xff, 0xff, 0xff]);
  });

  it('refuses a chart with no bar, too many bars, or a negative amount', async () => {
    await expect(renderBarChart(chart([]))).rejects.toThrow(RangeError);
    await expect(renderBarChart(chart(Array.from({ length: 13 }, (_, i) => ({ label: `c${i}`, amount: i }))))).rejects.toThrow(RangeError);
    await expect(renderBarChart(chart([{ label: 'Refund', amount: -5 }]))).rejects.toThrow(RangeError);
  });
});

describe('barChartSvg', () => {
  it('sorts the bars largest first and labels each with its amount in the locale', () => {
    const { svg } = barChartSvg(chart([{ label: 'Café', amount: 4.5 }, { label: 'Renta', amount: 1180 }], { currency: 'EUR', locale: 'es-ES' }));
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    // Intl separates the amount from the euro sign with a no-break space.
    expect(texts.slice(2)).toEqual(['Renta', '1180,00\u00a0€', 'Café', '4,50\u00a0€']);
  });

  it('escapes what the labels hold and shortens a long one', () => {
    const { svg } = barChartSvg(chart([{ label: 'Tom & Jerry <"the shop">', amount: 3 }, { label: 'A category name that goes on and on', amount: 2 }]));
    expect(svg).toContain('Tom &#38; Jerry &#60;&#34;the shop&#34;&#62;');
    expect(svg).not.toContain('<"the shop">');
    expect(svg).toContain('A category name that goes…');
  });
});
