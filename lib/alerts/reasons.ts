import { money as formatMoney, shortDate, wholeMoney, type Formatting } from '../assistant/format';
import { safeText, type AlertReason, type Payee } from './rules';

/**
 * An alert's reasons in the person's language: money, numbers, dates and country names in their
 * locale, the way the assistant writes them. The facts come from the rules already safe to show;
 * only the category words are made here from the bank's category code.
 */
export type AlertLanguage = Pick<Formatting, 'lang' | 'locale' | 'timeZone'>;

/**
 * A transaction's reason as the short "why" its alert lists after the facts ("9× your usual spend
 * on electronics"): the amount, merchant, account and time are said once, before, so no reason
 * repeats them. A low balance has one reason and no facts line: its reason is the whole sentence.
 */
export function reasonText(reason: AlertReason, f: Pick<AlertLanguage, 'lang' | 'locale'>): string {
  const en = f.lang === 'en';
  switch (reason.type) {
    case 'unusual-amount': {
      const category = categoryWords(reason.category, reason.primaryCategory, f);
      return en ? `${count(reason.times, f)}× your usual spend on ${category}` : `${count(reason.times, f)} veces tu gasto habitual en ${category}`;
    }
    case 'new-merchant': {
      const days = count(reason.days, f);
      if (en) return `first payment ${reason.payee?.paidTo ? 'to this payee' : 'at this merchant'} in ${days} days`;
      return `primer pago ${reason.payee?.paidTo ? 'a este destinatario' : 'en este comercio'} en ${days} días`;
    }
    case 'foreign-country':
      if (!reason.country) return en ? 'charged abroad' : 'cobrado en el extranjero';
      return en ? `charged abroad, in ${countryName(reason.country, f)}` : `cobrado en el extranjero, en ${countryName(reason.country, f)}`;
    case 'foreign-currency': {
      const usual = reason.usualCurrency;
      if (en) return `charged in ${reason.currency || 'another currency'}${usual ? `, not ${usual} as usual` : ''}`;
      return `cobrado en ${reason.currency || 'otra moneda'}${usual ? `, no en ${usual} como siempre` : ''}`;
    }
    case 'rapid-succession': {
      // The same amount each time is the alert's own amount, already said; a total is a new figure.
      const total = reason.each === undefined && reason.total !== undefined ? money(reason.total, reason.currency, f) : undefined;
      const n = count(reason.charges, f);
      const minutes = reason.minutes ?? 1;
      if (en) {
        const span = reason.date ? `on ${shortDate(reason.date, f)}` : `in ${count(minutes, f)} ${minutes === 1 ? 'minute' : 'minutes'}`;
        return `${n} charges ${reason.payee ? 'here ' : ''}${span}${total ? `, ${total} in all` : ''}`;
      }
      const span = reason.date ? `el ${shortDate(reason.date, f)}` : `en ${count(minutes, f)} ${minutes === 1 ? 'minuto' : 'minutos'}`;
      return `${n} cargos ${reason.payee ? 'aquí ' : ''}${span}${total ? `, ${total} en total` : ''}`;
    }
    case 'large-transaction': {
      const threshold = wholeMoney(reason.threshold, reason.currency, f).trim();
      if (en) return `${reason.exact ? 'reaches' : 'over'} ${reason.isDefault ? `the default ${threshold} alert` : `your ${threshold} alert`}`;
      return `${reason.exact ? 'alcanza' : 'supera'} ${reason.isDefault ? `la alerta predeterminada de ${threshold}` : `tu alerta de ${threshold}`}`;
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

/** "$912.40 at ELECTRO-WORLD", "$1,200.00 a Greenview Property Mgmt": how much, and to whom. */
export const paidText = (paid: { amount: number; currency: string; payee?: Payee | undefined }, f: Pick<AlertLanguage, 'lang' | 'locale'>) =>
  `${money(paid.amount, paid.currency, f)}${paid.payee ? payeeText(paid.payee, f) : ''}`;

// ---- Words and numbers --------------------------------------------------------------------------

/** `$912.40`, `MX$850.00` as the assistant writes money; what is not a currency code follows the number (or nothing, when empty). */
const money = (amount: number, currency: string, f: Pick<AlertLanguage, 'locale'>) => formatMoney(amount, currency, f).trim();

const integers = new Map<string, Intl.NumberFormat>();
function count(n: number, f: Pick<AlertLanguage, 'locale'>): string {
  let format = integers.get(f.locale);
  if (!format) integers.set(f.locale, (format = new Intl.NumberFormat(f.locale, { maximumFractionDigits: 0 })));
  return format.format(n);
}

const regions = new Map<string, Intl.DisplayNames>();
function countryName(code: string, f: Pick<AlertLanguage, 'locale'>): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    let names = regions.get(f.locale);
    if (!names) regions.set(f.locale, (names = new Intl.DisplayNames([f.locale], { type: 'region' })));
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

function payeeText(payee: Payee, f: Pick<AlertLanguage, 'lang'>): string {
  const word = f.lang === 'en' ? (payee.paidTo ? 'to' : 'at') : payee.paidTo ? 'a' : 'en';
  return ` ${word} ${payee.name}`;
}

/**
 * The bank's category (Plaid's personal finance categories) in words. English reads the code
 * (`GENERAL_MERCHANDISE_ELECTRONICS` → "electronics"); Spanish has a word for each primary category
 * and the common detailed ones, and otherwise says "this kind of purchase" rather than guess.
 */
function categoryWords(category: string, primary: string, f: Pick<AlertLanguage, 'lang'>): string {
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
