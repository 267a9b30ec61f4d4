import { describe, expect, it } from 'vitest';
import {
  accountLinkRefusedMessage,
  bankWarningMessage,
  confirmStopMessage,
  dataPolicyMessage,
  deletedMessage,
  expiryReminderMessage,
  keepSharingMessage,
  linkBankMessage,
  linkedMessage,
  manageMessage,
  myDataMessage,
  reconnectMessage,
  reconfirmRenewalMessage,
  renewedMessage,
  stopAcknowledgedMessage,
  syncFailedMessage,
} from '../../../lib/consent/messages';
import { Payloads } from '../../../lib/messenger/payloads';
import type { Consent } from '../../../lib/consent/model/consent';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import type { Language } from '../../../lib/text/language';

function consent(consentId: string, overrides: Partial<Consent> = {}): Consent {
  return {
    consentId,
    psid: '6543210987654321',
    status: 'active',
    scopes: ['balances', 'transactions'],
    durationDays: 365,
    disclosureVersion: '2026-11-21.1',
    disclosureHash: 'h',
    version: 2,
    createdAt: '2026-12-05T10:00:00.000Z',
    updatedAt: '2026-12-05T10:00:00.000Z',
    itemId: `item-${consentId}`,
    institution: { id: `ins-${consentId}`, name: 'Banco Azteca' },
    authorizedAt: '2025-12-05T10:00:00.000Z',
    expiresAt: '2026-12-05T10:00:00.000Z',
    ...overrides,
  };
}

const ACTIVE = consent('c-1');
const UNNAMED = consent('c-2', { institution: undefined, scopes: ['alerts', 'balances', 'transactions'], durationDays: 90 });
const EXPIRED = consent('c-3', { status: 'expired', endedAt: '2026-12-05T10:00:00.000Z' });
const REVOKED = consent('c-4', { status: 'revoked', endedAt: '2026-12-01T10:00:00.000Z', endedBy: 'person' });
const REVOKED_BY_BANK = consent('c-5', { status: 'revoked', endedAt: '2026-12-01T10:00:00.000Z', endedBy: 'bank' });
const MANY = Array.from({ length: 14 }, (_, i) => consent(`c-many-${i}`, { institution: { id: `ins-${i}`, name: `Banco Regional Número ${i}` } }));
const ACCOUNTS = [{ name: 'Cheques', mask: '1234' }, { name: 'Ahorros' }];
const LOTS_OF_ACCOUNTS = Array.from({ length: 80 }, (_, i) => ({ name: `Cuenta operativa empresarial ${i}`, mask: String(1000 + i) }));

/** Every builder, on the inputs that take each of its branches. */
const cases: [string, (lang: Language) => OutboundMessage][] = [
  ['link bank (https)', (lang) => linkBankMessage('https://bank.example/link/abc', lang)],
  ['link bank (http)', (lang) => linkBankMessage('http://localhost:3000/link/abc', lang)],
  ['account link refused', (lang) => accountLinkRefusedMessage(lang)],
  ['data policy', (lang) => dataPolicyMessage(lang)],
  ['my data, nothing held', (lang) => myDataMessage({ consents: [], inForce: [], auditEntries: 1 }, 'https://bank.example/export/x', lang)],
  [
    'my data, two banks',
    (lang) =>
      myDataMessage(
        {
          consents: [ACTIVE, UNNAMED],
          inForce: [
            { consent: ACTIVE, accounts: 1, transactions: 0 },
            { consent: UNNAMED, accounts: 3, transactions: 250 },
          ],
          auditEntries: 7,
        },
        'https://bank.example/export/x',
        lang,
      ),
  ],
  ['manage, nothing shared', (lang) => manageMessage([], 'https://bank.example/manage', lang)],
  ['manage, two banks', (lang) => manageMessage([ACTIVE, UNNAMED], 'https://bank.example/manage', lang)],
  ['manage, many banks', (lang) => manageMessage(MANY, 'https://bank.example/manage', lang)],
  ['confirm stop, nothing shared', (lang) => confirmStopMessage([], lang)],
  ['confirm stop, one bank', (lang) => confirmStopMessage([ACTIVE], lang)],
  ['confirm stop, two banks', (lang) => confirmStopMessage([ACTIVE, UNNAMED], lang)],
  ['confirm stop, many banks', (lang) => confirmStopMessage(MANY, lang)],
  ['stop acknowledged, unknown', (lang) => stopAcknowledgedMessage(undefined, lang)],
  ['stop acknowledged, already ended', (lang) => stopAcknowledgedMessage(EXPIRED, lang)],
  ['stop acknowledged, ended by the bank', (lang) => stopAcknowledgedMessage(REVOKED_BY_BANK, lang)],
  ['stop acknowledged, stopped', (lang) => stopAcknowledgedMessage(UNNAMED, lang)],
  ['renewed, not renewable', (lang) => renewedMessage(REVOKED, lang)],
  ['renewed', (lang) => renewedMessage(ACTIVE, lang)],
  ['renewal to re-confirm, a year', (lang) => reconfirmRenewalMessage(ACTIVE, 'https://bank.example/consent/renew?t=x', lang)],
  ['renewal to re-confirm, unnamed bank, 90 days', (lang) => reconfirmRenewalMessage(UNNAMED, 'https://bank.example/consent/renew?t=x', lang)],
  ['sync failed, named bank', (lang) => syncFailedMessage(ACTIVE, 'https://bank.example/reconnect', lang)],
  ['sync failed, unnamed bank', (lang) => syncFailedMessage(UNNAMED, 'https://bank.example/reconnect', lang)],
  ['reconnect', (lang) => reconnectMessage({ consent: ACTIVE, url: 'https://bank.example/reconnect' }, lang)],
  ['reconnect, ended', (lang) => reconnectMessage(undefined, lang)],
  ['bank warning, soon', (lang) => bankWarningMessage(UNNAMED, { cause: 'other' }, 'https://bank.example/reconnect', lang)],
  ['bank warning, on a date', (lang) => bankWarningMessage(ACTIVE, { cause: 'other', at: new Date('2026-09-05T00:00:00.000Z') }, 'https://bank.example/reconnect', lang)],
  ['bank warning, permission ends', (lang) => bankWarningMessage(ACTIVE, { cause: 'permission-ends', at: new Date('2026-09-05T00:00:00.000Z') }, 'https://bank.example/reconnect', lang)],
  ['bank warning, migration', (lang) => bankWarningMessage(UNNAMED, { cause: 'migration', at: new Date('2026-09-05T00:00:00.000Z') }, 'https://bank.example/reconnect', lang)],
  ['expiry reminder, a year', (lang) => expiryReminderMessage(ACTIVE, lang)],
  ['expiry reminder, 90 days', (lang) => expiryReminderMessage(UNNAMED, lang)],
  ['keep sharing', (lang) => keepSharingMessage(lang)],
  ['linked', (lang) => linkedMessage(ACTIVE, ACCOUNTS, lang)],
  ['linked, no accounts', (lang) => linkedMessage(UNNAMED, [], lang)],
  ['linked, more accounts than fit', (lang) => linkedMessage(ACTIVE, LOTS_OF_ACCOUNTS, lang)],
  ['deleted, everything', (lang) => deletedMessage(REVOKED, { accounts: 1, transactions: 1, connections: 1 }, true, lang)],
  ['deleted, expired', (lang) => deletedMessage(EXPIRED, { accounts: 3, transactions: 40, connections: 0 }, false, lang)],
  ['deleted, ended by the bank', (lang) => deletedMessage(REVOKED_BY_BANK, { accounts: 2, transactions: 5, connections: 1 }, false, lang)],
  ['deleted, ended by the bank, removed there', (lang) => deletedMessage(REVOKED_BY_BANK, { accounts: 2, transactions: 5, connections: 1 }, true, lang)],
  ['deleted, nothing held', (lang) => deletedMessage(UNNAMED, { accounts: 0, transactions: 0, connections: 0 }, false, lang)],
];

const textOf = (m: OutboundMessage) => ('text' in m ? m.text : m.attachment.payload.text);
const titlesOf = (m: OutboundMessage) => [
  ...(m.quick_replies ?? []).map((q) => q.title),
  ...('attachment' in m ? m.attachment.payload.buttons.flatMap((b) => ('title' in b ? [b.title] : [])) : []),
];
/** Everything but the words: kinds, payloads and URLs, in order. */
const shapeOf = (m: OutboundMessage) => ({
  kind: 'text' in m ? 'text' : m.attachment.payload.template_type,
  quickReplies: (m.quick_replies ?? []).map(({ content_type, payload }) => ({ content_type, payload })),
  buttons: 'attachment' in m ? m.attachment.payload.buttons.map((b) => ({ ...b, title: undefined })) : [],
});

describe.each(cases)('%s', (_name, build) => {
  it('in English by default', () => {
    expect(build('en')).toEqual((build as (lang?: Language) => OutboundMessage)(undefined));
  });

  it('has the same buttons, quick replies and payloads in Spanish as in English', () => {
    expect(shapeOf(build('es'))).toEqual(shapeOf(build('en')));
  });

  it.each(['en', 'es'] as const)('fits Messenger’s limits in %s', (lang) => {
    const message = build(lang);
    expect(textOf(message).length).toBeGreaterThan(0);
    expect(textOf(message).length).toBeLessThanOrEqual('attachment' in message ? 640 : 2000);
    expect(message.quick_replies?.length ?? 0).toBeLessThanOrEqual(13);
    for (const title of titlesOf(message)) {
      expect(title.length).toBeGreaterThan(0);
      expect(title.length).toBeLessThanOrEqual(20);
    }
  });

  it('leaves no English in the Spanish words', () => {
    const message = build('es');
    const words = [textOf(message), ...titlesOf(message)].join('\n');
    expect(words).not.toMatch(/\b(the|your|you|and|stop|share|sharing|link|until|more|accounts?|bank|data)\b/i);
    expect(words).not.toMatch(/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/);
  });

  it('differs from the English', () => {
    expect(textOf(build('es'))).not.toBe(textOf(build('en')));
  });
});

describe('what the chat says about Meta', () => {
  it.each([
    ['en', [/In private mode, the default, I only say here that an answer is ready/, /Messenger passes every message through Meta’s servers/, /not end-to-end encrypted/, /if you choose to see them in the chat, Meta can see what they show/, /Meta gets no access to your bank connection, nor to any of your bank data that is not in a message I send you/]],
    ['es', [/En modo privado, el predeterminado, aquí solo te aviso que la respuesta está lista/, /Messenger pasa cada mensaje por los servidores de Meta/, /cifrado de extremo a extremo/, /si eliges verlas en el chat, Meta puede ver lo que muestran/, /Meta no tiene acceso a la conexión con tu banco, ni a ningún dato bancario tuyo que no esté en un mensaje/]],
  ] as const)('the data policy says in %s where answers appear, that they pass through Meta, and what Meta does not get', (lang, says) => {
    const text = textOf(dataPolicyMessage(lang));

    expect(says.filter((pattern) => !pattern.test(text))).toEqual([]);
  });

  it('the reminder’s Renew for a consent of an older disclosure links to the page, with a way to let it end', () => {
    expect(reconfirmRenewalMessage(ACTIVE, 'https://bank.example/consent/renew?t=x', 'es')).toEqual({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text:
            'Antes de renovar el permiso para compartir Banco Azteca (saldos y movimientos): lo que te explico sobre cómo se tratan tus datos bancarios cambió desde que aceptaste. ' +
            'Toca "Leer y renovar" para leerlo; si allí aceptas, sigues compartiendo lo mismo durante un año a partir de hoy. Nada cambia hasta entonces. El enlace funciona durante 30 minutos.',
          buttons: [
            { type: 'web_url', title: 'Leer y renovar', url: 'https://bank.example/consent/renew?t=x', webview_height_ratio: 'tall' },
            { type: 'postback', title: 'Dejar que termine', payload: Payloads.keepSharing },
          ],
        },
      },
    });
  });
});

describe('Spanish replies', () => {
  it('link bank', () => {
    const url = 'https://bank.example/link/abc';
    expect(linkBankMessage(url, 'es')).toEqual({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text:
            'Para responder preguntas sobre tu dinero necesito tu permiso para leer los datos de tu banco. ' +
            'Mira exactamente qué se comparte, elige y vincula tu banco. El enlace funciona durante 30 minutos.',
          buttons: [
            { type: 'account_link', url },
            { type: 'web_url', title: 'Abrir en navegador', url, webview_height_ratio: 'tall' },
          ],
        },
      },
    });
  });

  it('confirm stop, one bank', () => {
    expect(confirmStopMessage([ACTIVE], 'es')).toEqual({
      text: '¿Dejar de compartir Banco Azteca? Lo desconectaré y borraré tus saldos y movimientos.',
      quick_replies: [
        { content_type: 'text', title: 'Sí, desconectar', payload: Payloads.revoke('c-1') },
        { content_type: 'text', title: 'No, mantenerlo', payload: Payloads.keepSharing },
      ],
    });
  });

  it('deleted', () => {
    expect(deletedMessage(REVOKED, { accounts: 2, transactions: 1, connections: 1 }, true, 'es')).toEqual({
      text:
        'Dejaste de compartir Banco Azteca. Lo desconecté en el banco y borré 2 cuentas con sus saldos, 1 movimiento ' +
        'y la conexión con el banco (token de acceso y punto de sincronización). ' +
        'Guardamos durante 3 años un registro de que compartiste y dejaste de compartir (sin datos financieros).',
      quick_replies: [{ content_type: 'text', title: 'Vincular un banco', payload: Payloads.linkBank }],
    });
    expect(textOf(deletedMessage(EXPIRED, { accounts: 0, transactions: 0, connections: 0 }, false, 'es'))).toBe(
      'El permiso para compartir Banco Azteca terminó el 5 dic 2026, la fecha de fin que elegiste, y no se renovó, así que dejé de leerlo. ' +
        'Borré todo lo que tenía. Para volver a compartir, vincula tu banco: eliges de nuevo qué compartir y por cuánto tiempo. ' +
        'Guardamos durante 3 años un registro de que compartiste y de cómo terminó (sin datos financieros).',
    );
    expect(textOf(deletedMessage(REVOKED_BY_BANK, { accounts: 2, transactions: 1, connections: 1 }, false, 'es'))).toBe(
      'Banco Azteca cerró mi acceso a tus cuentas (se retiró en el banco o a través de Plaid), así que dejé de leerlas. ' +
        'En el banco no quedaba nada que desconectar. Borré 2 cuentas con sus saldos, 1 movimiento ' +
        'y la conexión con el banco (token de acceso y punto de sincronización). ' +
        'Para volver a compartir, vincula tu banco: eliges de nuevo qué compartir y por cuánto tiempo. ' +
        'Guardamos durante 3 años un registro de que compartiste y de cómo terminó (sin datos financieros).',
    );
  });

  it('writes dates the Spanish way and keeps the English ones as they were', () => {
    expect(textOf(renewedMessage(ACTIVE, 'es'))).toBe('Renovado: compartes saldos y movimientos de Banco Azteca hasta el 5 dic 2026.');
    expect(textOf(renewedMessage(ACTIVE))).toBe('Renewed: you share balances, transactions of Banco Azteca until 5 Dec 2026.');
  });

  it('names an unnamed bank "tu banco", capitalised at the start of a sentence or line', () => {
    expect(textOf(syncFailedMessage(UNNAMED, 'https://bank.example/reconnect', 'es'))).toMatch(/^Tu banco te pide/);
    expect(textOf(bankWarningMessage(UNNAMED, { cause: 'other' }, 'https://bank.example/reconnect', 'es'))).toMatch(/^Tu banco dejará de compartir datos conmigo pronto\./);
    expect(textOf(manageMessage([UNNAMED], 'https://bank.example/manage', 'es'))).toBe('Tu banco: alertas, saldos y movimientos, hasta el 5 dic 2026.');
    expect(textOf(stopAcknowledgedMessage(UNNAMED, 'es'))).toContain('dejé de leer tu banco.');
  });

  it('lists as many accounts as fit and says how many more, in Spanish', () => {
    const text = textOf(linkedMessage(ACTIVE, LOTS_OF_ACCOUNTS, 'es'));
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text).toMatch(/^Cuentas vinculadas de Banco Azteca: Cuenta operativa empresarial 0 ••1000, /);
    const [, more] = /, Cuenta operativa empresarial \d+ ••\d+ y (\d+) más\. Compartes saldos y movimientos hasta el 5 dic 2026\. Escribe "dejar de compartir" cuando quieras\.$/.exec(text) ?? [];
    expect(Number(more)).toBeGreaterThan(0);
    expect(text.split(', Cuenta operativa').length + Number(more)).toBe(LOTS_OF_ACCOUNTS.length);
  });

  it('lists the linked accounts checking first, then savings, then cards, whatever order the bank gave', () => {
    const accounts = [
      { name: 'Visa Oro', mask: '9017', type: 'credit' as const, subtype: 'credit card' },
      { name: 'Ahorros', type: 'depository' as const, subtype: 'savings' },
      { name: 'Cheques', mask: '1234', type: 'depository' as const, subtype: 'checking' },
    ];

    expect(textOf(linkedMessage(ACTIVE, accounts, 'es'))).toMatch(/^Cuentas vinculadas de Banco Azteca: Cheques ••1234, Ahorros, Visa Oro ••9017\. /);
  });

  it('pluralises counts in English too', () => {
    const text = textOf(
      myDataMessage({ consents: [ACTIVE], inForce: [{ consent: ACTIVE, accounts: 1, transactions: 1 }], auditEntries: 1 }, 'https://bank.example/export/x', 'en'),
    );
    expect(text.split('\n')[1]).toBe('Banco Azteca: 1 account, 1 transaction (balances, transactions, until 5 Dec 2026).');
  });

  it('pluralises counts in Spanish', () => {
    const text = textOf(
      myDataMessage({ consents: [ACTIVE], inForce: [{ consent: ACTIVE, accounts: 1, transactions: 1 }], auditEntries: 1 }, 'https://bank.example/export/x', 'es'),
    );
    expect(text).toBe(
      [
        'Guardo, solo para tus propias preguntas y alertas:',
        'Banco Azteca: 1 cuenta, 1 movimiento (saldos y movimientos, hasta el 5 dic 2026).',
        'Tu historial de consentimiento tiene 1 registro (sin datos financieros).',
        'Descarga todo en un archivo (el enlace funciona una sola vez, durante 15 minutos):',
      ].join('\n'),
    );
  });
});

describe('who ended a sharing', () => {
  it('does not tell a person who taps "stop" on a sharing their bank already ended that they stopped it', () => {
    expect(textOf(stopAcknowledgedMessage(REVOKED_BY_BANK))).toBe('Your sharing of Banco Azteca had already ended.');
    expect(textOf(stopAcknowledgedMessage(REVOKED_BY_BANK, 'es'))).toBe('El permiso para compartir Banco Azteca ya había terminado.');
  });

  it('still confirms the person’s own stop, even when it is repeated', () => {
    expect(textOf(stopAcknowledgedMessage(REVOKED))).toMatch(/^Done: I stopped reading Banco Azteca\./);
  });
});
