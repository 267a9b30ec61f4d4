import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { html, Html, pageHeaders } from '../../../lib/http/html';

const directives = (csp: string) =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );

describe('html', () => {
  it('escapes a script tag', () => {
    expect(html`<p>${'<script>alert(1)</script>'}</p>`.value).toBe('<p>&#60;script&#62;alert(1)&#60;/script&#62;</p>');
  });

  it.each([
    ['double quote', '"', '&#34;'],
    ['single quote', "'", '&#39;'],
    ['backtick', '`', '&#96;'],
    ['equals sign', '=', '&#61;'],
    ['ampersand', '&', '&#38;'],
  ])('escapes a %s', (_name, raw, escaped) => {
    expect(html`<input value=${raw}>`.value).toBe(`<input value=${escaped}>`);
  });

  it('keeps an attribute value from breaking out of its quotes', () => {
    const out = html`<input type="hidden" value="${'x" onfocus="alert(1)'}">`.value;

    expect(out).toBe('<input type="hidden" value="x&#34; onfocus&#61;&#34;alert(1)">');
  });

  it('leaves no markup character unescaped in any interpolated string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        expect(html`${value}`.value).not.toMatch(/[<>"'`=]/);
      }),
    );
  });

  it('does not escape a nested html fragment again', () => {
    const inner = html`<b>${'a & b'}</b>`;

    expect(html`<p>${inner}</p>`.value).toBe('<p><b>a &#38; b</b></p>');
  });

  it('joins an array of fragments without separators', () => {
    expect(html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value).toBe('<ul><li>a</li><li>b</li></ul>');
  });

  it('escapes plain strings inside an array', () => {
    expect(html`${['<i>', html`<b>`]}`.value).toBe('&#60;i&#62;<b>');
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['false', false],
  ])('renders %s as nothing', (_name, value) => {
    expect(html`<p>${value}</p>`.value).toBe('<p></p>');
  });

  it('renders zero and true as text', () => {
    expect(html`${0}|${true}`.value).toBe('0|true');
  });

  it('produces an Html fragment that prints as its markup', () => {
    const fragment = html`<p>${'x'}</p>`;

    expect([fragment instanceof Html, `${fragment}`]).toEqual([true, '<p>x</p>']);
  });
});

describe('pageHeaders', () => {
  it("forbids everything by default with default-src 'none'", () => {
    expect(directives(pageHeaders()['Content-Security-Policy']!).get('default-src')).toEqual(["'none'"]);
  });

  it('allows no script source at all', () => {
    expect(pageHeaders()['Content-Security-Policy']).not.toMatch(/script-src/);
  });

  it('cannot be framed', () => {
    expect(directives(pageHeaders()['Content-Security-Policy']!).get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('sends no Referer, so tokens in the URL do not leak', () => {
    expect(pageHeaders()['Referrer-Policy']).toBe('no-referrer');
  });

  it('is never cached', () => {
    expect(pageHeaders()['Cache-Control']).toBe('no-store');
  });

  it('lets forms post to the page itself and the given targets only', () => {
    const csp = pageHeaders(['https://hosted.plaid.com', 'https://example.org/x'])['Content-Security-Policy']!;

    expect(directives(csp).get('form-action')).toEqual(["'self'", 'https://hosted.plaid.com', 'https://example.org/x']);
  });

  it('serves HTML as UTF-8 and forbids content sniffing', () => {
    const headers = pageHeaders();

    expect([headers['Content-Type'], headers['X-Content-Type-Options']]).toEqual(['text/html; charset=utf-8', 'nosniff']);
  });
});
