import { readings } from '../../clarify';
import { featuresOf } from '../features';
import type { IntentName } from '../intent-names';
import { read } from '../reading';
import { trainingExamples as generated } from './generate';

/**
 * The classifier's training corpus: every example read exactly as a live message is (reading.ts)
 * and turned into the features the classifier sees. Build-time only (npm run train and the corpus
 * test); no handler imports it.
 */
export interface TrainingExample {
  text: string;
  intent: IntentName;
}

export function examplesToCorpus(examples: readonly TrainingExample[]) {
  return examples.map(({ text, intent }) => ({ features: featuresOf(read(text)), intent }));
}

/** People type what they saw on a button: each reading's title, in both languages, is an example of it. */
const titles = (): TrainingExample[] =>
  Object.entries(readings)
    .filter(([intent]) => intent !== 'follow-up' && intent !== 'fallback')
    .flatMap(([intent, { en, es }]) => [en, es].map((text) => ({ text, intent: intent as IntentName })));

/**
 * A word or two typed alone, as people do ("privacy", "saldo", "agente"): templates are sentences,
 * and without these the few words of a terse message read like a bare yes or no.
 */
const keywords: Partial<Record<IntentName, string>> = {
  help: 'help|ayuda|menu|options|opciones|how does this work|como funciona|instructions|instrucciones|what can you do|que haces|i dont understand|i dont get it|im confused|no entiendo|no le entiendo|estoy confundido|confused|confundida',
  balance: 'balance|saldo|my balance|mi saldo|balances|saldos|available|disponible|how much money|cuanto dinero|bal|account balance|saldo de cuenta',
  transactions: 'transactions|movimientos|activity|actividad|history|historial|recent transactions|ultimos movimientos|statement|estado de cuenta|charges|cargos',
  spending: 'spending|gastos|my spending|mis gastos|expenses|how much did i spend|cuanto gaste|total spent|total gastado|monthly spending|gasto del mes',
  search: 'find a charge|buscar un cargo|search transactions|buscar movimientos|find payment|buscar pago',
  subscriptions: 'subscriptions|suscripciones|my subscriptions|mis suscripciones|recurring payments|pagos recurrentes|recurring charges|cargos recurrentes|memberships|membresias|monthly subscriptions|suscripciones mensuales',
  bills: 'upcoming bills|proximos recibos|bills due|recibos por pagar|due dates|fechas de vencimiento|whats due|que vence|next bill|proximo recibo|upcoming payments|recibos pendientes|vencimientos',
  income: 'payday|dia de pago|my paycheck|mi quincena|paycheck|quincena|my salary|mi sueldo|direct deposit|deposito de nomina|my pay|mi nomina|got paid|me pagaron',
  largest: 'biggest purchase|compra mas grande|largest purchases|gastos mas grandes|top purchases|mayores compras|most expensive|lo mas caro',
  'alerts-show': 'alerts|alertas|notifications|notificaciones|my alerts|mis alertas|alert settings|avisos|my notifications|mis avisos',
  'alerts-fraud': 'fraud alerts|alertas de fraude|fraud alert|alerta de fraude|fraud notifications|avisos de fraude',
  'alerts-low-balance': 'low balance alert|alerta de saldo bajo|low balance|saldo bajo|balance alert|aviso de saldo',
  'alerts-large': 'large purchase alert|alerta de compras grandes|big purchase alerts|avisos de compras grandes|large transaction alert|alerta de cargos grandes',
  'privacy-mode': 'private mode|modo privado|privately|en privado|figures in chat|cifras en el chat|hide figures|ocultar cifras|show figures here|mostrar cifras aqui',
  'what-shared': 'what i share|que comparto|sharing|permissions|permisos|linked accounts|cuentas vinculadas|my consent|mi consentimiento|my permissions|mis permisos',
  'change-scopes': 'change permissions|cambiar permisos|edit sharing|editar permisos|change sharing|modificar permisos|share less|compartir menos',
  'stop-sharing': 'stop sharing|dejar de compartir|revoke|revocar|unlink|desvincular|disconnect|desconectar|revoke access|revocar acceso|delete connection|borrar conexion',
  'data-policy': 'privacy|privacidad|my privacy|mi privacidad|data use|uso de datos|security|seguridad|privacy policy|politica de privacidad|is it safe|es seguro|data privacy|who sees my data|quien ve mis datos',
  export: 'export|exportar|my data|mis datos|download my data|descargar mis datos|data copy|copia de mis datos|all my data|todos mis datos',
  human: 'agent|agente|human|humano|person|persona|support|soporte|customer service|servicio al cliente|real person|persona real|advisor|asesor',
  'link-bank': 'link bank|vincular banco|connect bank|conectar banco|add account|agregar cuenta|link account|vincular cuenta|add bank|agregar banco',
  'card-emergency': 'lost card|tarjeta perdida|stolen card|tarjeta robada|freeze card|congelar tarjeta|block card|bloquear tarjeta|card stolen|me robaron la tarjeta|unknown charge|cargo desconocido',
  'bank-only': 'pay bill|pagar factura|transfer money|transferir dinero|send money|enviar dinero|credit score|puntaje de credito|loan|prestamo|pay my card|pagar tarjeta',
};
const keywordExamples = (): TrainingExample[] =>
  Object.entries(keywords).flatMap(([intent, words]) => words!.split('|').map((text) => ({ text, intent: intent as IntentName })));

export function trainingExamples(): TrainingExample[] {
  return [...generated().map(({ text, intent }) => ({ text, intent })), ...titles(), ...keywordExamples()];
}

export const trainingCorpus = () => examplesToCorpus(trainingExamples());
