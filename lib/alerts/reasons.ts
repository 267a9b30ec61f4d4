import { money as formatMoney, shortDate, type Formatting } from '../assistant/format';
import { safeText, type AlertReason, type Payee } from './rules';

/**
 * An alert's reason as the sentence the person reads, in their language: money, numbers, dates and
 * country names in their locale, the way the assistant writes them. The facts come from the rules
 * already safe to show; only the category words are made here from the bank's category code.
 */
export type AlertLanguage = Pick<Formatting, 'lang' | 'locale'>;

export function reasonText(reason: AlertReason, f: AlertLanguage): string {
  const en = f.lang === 'en';
  switch (reason.type) {
    case 'unusual-amount': {
      const usual = money(reason.usual, reason.currency, f);
      const category = categoryWords(reason.category, reason.primaryCategory, f);
      return en
        ? `${paid(reason, f)} is ${count(reason.times, f)}× what you usually spend on ${category} (about ${usual}).`
        : `${paid(reason, f)} es ${count(reason.times, f)} veces lo que sueles gastar en ${category} (unos ${usual}).`;
    }
    case 'new-merchant':
      return en
        ? `${paid(reason, f)} is your first payment there in the last ${count(reason.days, f)} days, and a large one.`
        : `${paid(reason, f)} es tu primer pago ahí en los últimos ${count(reason.days, f)} días, y por un monto alto.`;
    case 'foreign-country':
      return en
        ? `${paid(reason, f)} was charged in ${countryName(reason.country, f)}, outside your home country (${countryName(reason.homeCountry, f)}).`
        : `${paid(reason, f)} se cobró en ${countryName(reason.country, f)}, fuera de tu país (${countryName(reason.homeCountry, f)}).`;
    case 'foreign-currency':
      return en
        ? `${paid(reason, f)} was charged in ${reason.currency || 'another currency'}, not in ${reason.usualCurrency || 'the usual one'} like this account's other payments.`
        : `${paid(reason, f)} se cobró en ${reason.currency || 'otra moneda'}, no en ${reason.usualCurrency || 'la habitual'} como los demás pagos de esta cuenta.`;
    case 'rapid-succession': {
      const each = reason.each !== undefined ? money(reason.each, reason.currency, f) : undefined;
      const total = reason.total !== undefined ? money(reason.total, reason.currency, f) : undefined;
      const n = count(reason.charges, f);
      const payee = reason.payee ? payeeText(reason.payee, f) : '';
      if (en) {
        const amounts = each ? ` of ${each}` : total ? ` totalling ${total}` : '';
        const span = reason.date ? `on ${shortDate(reason.date, f)}` : `within ${count(reason.minutes ?? 1, f)} ${reason.minutes === 1 ? 'minute' : 'minutes'}`;
        return `${n} charges${amounts}${payee} ${span}. Repeated charges in quick succession can be a sign that someone is testing a stolen card.`;
      }
      const amounts = each ? ` de ${each}` : total ? ` por un total de ${total}` : '';
      const span = reason.date ? `el ${shortDate(reason.date, f)}` : `en ${count(reason.minutes ?? 1, f)} ${reason.minutes === 1 ? 'minuto' : 'minutos'}`;
      return `${n} cargos${amounts}${payee} ${span}. Varios cargos seguidos pueden ser señal de que alguien está probando una tarjeta robada.`;
    }
    case 'large-transaction': {
      const threshold = money(reason.threshold, reason.currency, f);
      return en
        ? `${paid(reason, f)} ${reason.exact ? 'is exactly' : 'is over'} the ${threshold} you set for large-transaction alerts.`
        : `${paid(reason, f)} ${reason.exact ? 'es exactamente' : 'supera'} los ${threshold} que fijaste para las alertas de movimientos grandes.`;
    }
    case 'low-balance': {
      const balance = money(reason.balance, reason.currency, f);
      const threshold = money(reason.threshold, reason.currency, f);
      if (en) return `Your ${reason.account || 'account'} ${reason.available ? 'available balance' : 'balance'} is ${balance}, below the ${threshold} you set for low-balance alerts.`;
      const account = reason.account ? `tu cuenta ${reason.account}` : 'tu cuenta';
      return `El ${reason.available ? 'saldo disponible' : 'saldo'} de ${account} es ${balance}, por debajo de los ${threshold} que fijaste para las alertas de saldo bajo.`;
    }
  }
}

/** "Large transaction: " / "Movimiento grande: ", before a large-transaction reason (it is no fraud warning). */
export const largeTransactionLead = (f: AlertLanguage) => (f.lang === 'en' ? 'Large transaction: ' : 'Movimiento grande: ');

// ---- Words and numbers --------------------------------------------------------------------------

/** `$912.40`, `MX$850.00` as the assistant writes money; what is not a currency code follows the number (or nothing, when empty). */
const money = (amount: number, currency: string, f: AlertLanguage) => formatMoney(amount, currency, f).trim();

const integers = new Map<string, Intl.NumberFormat>();
function count(n: number, f: AlertLanguage): string {
  let format = integers.get(f.locale);
  if (!format) integers.set(f.locale, (format = new Intl.NumberFormat(f.locale, { maximumFractionDigits: 0 })));
  return format.format(n);
}

const regions = new Map<string, Intl.DisplayNames>();
function countryName(code: string, f: AlertLanguage): string {
  if (!code) return f.lang === 'en' ? 'another country' : 'otro país';
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    let names = regions.get(f.locale);
    if (!names) regions.set(f.locale, (names = new Intl.DisplayNames([f.locale], { type: 'region' })));
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "$912.40 at ELECTRO-WORLD", "$1,200.00 a Greenview Property Mgmt". */
const paid = (reason: { amount: number; currency: string; payee?: Payee }, f: AlertLanguage) =>
  `${money(reason.amount, reason.currency, f)}${reason.payee ? payeeText(reason.payee, f) : ''}`;

function payeeText(payee: Payee, f: AlertLanguage): string {
  const word = f.lang === 'en' ? (payee.paidTo ? 'to' : 'at') : payee.paidTo ? 'a' : 'en';
  return ` ${word} ${payee.name}`;
}

/**
 * The bank's category (Plaid's personal finance categories) in words. English reads the code
 * (`GENERAL_MERCHANDISE_ELECTRONICS` → "electronics"); Spanish has a word for each primary category
 * and the common detailed ones, and otherwise says "this kind of purchase" rather than guess.
 */
function categoryWords(category: string, primary: string, f: AlertLanguage): string {
  if (f.lang === 'es') {
    const other = category.startsWith(`${primary}_OTHER_`) ? primary : category;
    return SPANISH_CATEGORIES[category] ?? SPANISH_CATEGORIES[other] ?? 'este tipo de compra';
  }
  const special: Record<string, string> = { FOOD_AND_DRINK_RESTAURANT: 'restaurants', FOOD_AND_DRINK_FAST_FOOD: 'fast food' };
  const known = special[category];
  if (known) return known;
  const rest = category !== primary && category.startsWith(`${primary}_`) ? category.slice(primary.length + 1) : category;
  const words = rest
    .toLowerCase()
    .split('_')
    .filter(Boolean)
    .map((w) => (w === 'tv' ? 'TV' : w));
  return safeText(words.join(' ')) || 'this kind of purchase';
}

const SPANISH_CATEGORIES: Partial<Record<string, string>> = {
  BANK_FEES: 'comisiones bancarias',
  ENTERTAINMENT: 'entretenimiento',
  ENTERTAINMENT_CASINOS_AND_GAMBLING: 'casinos y apuestas',
  ENTERTAINMENT_MUSIC_AND_AUDIO: 'música',
  ENTERTAINMENT_SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS: 'eventos, parques y museos',
  ENTERTAINMENT_TV_AND_MOVIES: 'TV y cine',
  ENTERTAINMENT_VIDEO_GAMES: 'videojuegos',
  FOOD_AND_DRINK: 'comida y bebida',
  FOOD_AND_DRINK_BEER_WINE_AND_LIQUOR: 'bebidas alcohólicas',
  FOOD_AND_DRINK_COFFEE: 'café',
  FOOD_AND_DRINK_FAST_FOOD: 'comida rápida',
  FOOD_AND_DRINK_GROCERIES: 'supermercado',
  FOOD_AND_DRINK_RESTAURANT: 'restaurantes',
  GENERAL_MERCHANDISE: 'compras',
  GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES: 'ropa y accesorios',
  GENERAL_MERCHANDISE_CONVENIENCE_STORES: 'tiendas de conveniencia',
  GENERAL_MERCHANDISE_DEPARTMENT_STORES: 'tiendas departamentales',
  GENERAL_MERCHANDISE_ELECTRONICS: 'electrónica',
  GENERAL_MERCHANDISE_ONLINE_MARKETPLACES: 'compras en línea',
  GENERAL_MERCHANDISE_PET_SUPPLIES: 'mascotas',
  GENERAL_MERCHANDISE_SPORTING_GOODS: 'artículos deportivos',
  GENERAL_MERCHANDISE_SUPERSTORES: 'hipermercados',
  GENERAL_SERVICES: 'servicios',
  GENERAL_SERVICES_AUTOMOTIVE: 'servicios para el auto',
  GENERAL_SERVICES_EDUCATION: 'educación',
  GENERAL_SERVICES_INSURANCE: 'seguros',
  GOVERNMENT_AND_NON_PROFIT: 'gobierno y donativos',
  HOME_IMPROVEMENT: 'el hogar',
  HOME_IMPROVEMENT_FURNITURE: 'muebles',
  HOME_IMPROVEMENT_HARDWARE: 'ferretería',
  LOAN_PAYMENTS: 'pagos de préstamos',
  MEDICAL: 'salud',
  MEDICAL_DENTAL_CARE: 'dentista',
  MEDICAL_PHARMACIES_AND_SUPPLEMENTS: 'farmacia',
  PERSONAL_CARE: 'cuidado personal',
  PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS: 'gimnasio',
  PERSONAL_CARE_HAIR_AND_BEAUTY: 'peluquería y belleza',
  RENT_AND_UTILITIES: 'renta y servicios',
  RENT_AND_UTILITIES_GAS_AND_ELECTRICITY: 'luz y gas',
  RENT_AND_UTILITIES_INTERNET_AND_CABLE: 'internet y cable',
  RENT_AND_UTILITIES_RENT: 'renta',
  RENT_AND_UTILITIES_TELEPHONE: 'teléfono',
  RENT_AND_UTILITIES_WATER: 'agua',
  TRANSFER_OUT: 'transferencias',
  TRANSPORTATION: 'transporte',
  TRANSPORTATION_GAS: 'gasolina',
  TRANSPORTATION_PARKING: 'estacionamiento',
  TRANSPORTATION_PUBLIC_TRANSIT: 'transporte público',
  TRANSPORTATION_TAXIS_AND_RIDE_SHARES: 'taxis y viajes compartidos',
  TRAVEL: 'viajes',
  TRAVEL_FLIGHTS: 'vuelos',
  TRAVEL_LODGING: 'hospedaje',
  TRAVEL_RENTAL_CARS: 'renta de autos',
};
