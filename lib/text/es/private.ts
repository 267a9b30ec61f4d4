import type { PrivateWords } from '../private';

export const privateWords: PrivateWords = {
  ready: {
    balances: 'Tus saldos están listos.',
    transactions: 'Tus movimientos están listos.',
    spending: 'Tus gastos están listos.',
    search: 'Lo que encontré está listo.',
    largest: 'Tus compras más grandes están listas.',
    subscriptions: 'Tus suscripciones están listas.',
    bills: 'Tus próximos pagos están listos.',
    income: 'Lo que veo de tu sueldo está listo.',
    linked: 'Tu banco quedó conectado. Las cuentas que veo están en tu página privada.',
    'alert-fraud': 'Un pago con tarjeta necesita tu revisión.',
    'alert-notice': 'Tienes una alerta de tu cuenta.',
    updated: 'Tu respuesta actualizada está lista.',
  },
  writeToSee: 'Escríbeme aquí para verla.',
  open: 'Ver en privado',
  page: {
    heading: {
      balances: 'Tus saldos',
      transactions: 'Tus movimientos',
      spending: 'Tus gastos',
      search: 'Lo que encontré',
      largest: 'Tus compras más grandes',
      subscriptions: 'Tus suscripciones',
      bills: 'Tus próximos pagos',
      income: 'Tu sueldo',
      linked: 'Tus cuentas conectadas',
      'alert-fraud': 'Un pago con tarjeta para revisar',
      'alert-notice': 'Alerta de tu cuenta',
      updated: 'Tu respuesta actualizada',
    },
    onceNote: 'Esta página se abre una sola vez y no se guarda: vuelve a preguntar en el chat para verla otra vez. Nada de lo que muestra pasó por Messenger.',
    goneTitle: 'No hay nada que mostrar',
    gone: 'Este enlace ya se abrió, venció o no es tuyo. Vuelve a preguntar en el chat.',
    itWasMe: 'Fui yo',
    notMe: 'No fui yo',
    answeredTitle: 'Gracias, tu respuesta quedó registrada',
  },
  mode: {
    which: '¿Dónde quieres ver tus cifras? Privado: el chat avisa que la respuesta está lista y la abres en una página nuestra, así Meta nunca lleva tus cifras. En Messenger: en el chat, pasando por Meta como cualquier mensaje.',
    private: 'Privado',
    messenger: 'En Messenger',
    confirm: (to) =>
      to === 'private'
        ? '¿Mantener tus cifras en privado? Te aviso en el chat cuando una respuesta esté lista y la muestro en una página nuestra que se abre una sola vez, así Meta nunca lleva tus cifras.'
        : '¿Mostrar tus cifras aquí en el chat? Los mensajes de Messenger pasan por Meta como cualquier mensaje, así que Meta llevaría tus saldos y gastos.',
    done: (to) =>
      to === 'private'
        ? 'Listo: tus cifras son privadas. Cada respuesta se abre una vez en una página nuestra.'
        : 'Listo: tus cifras aparecen ahora aquí en el chat.',
    already: (mode) => (mode === 'private' ? 'Tus cifras ya son privadas.' : 'Tus cifras ya aparecen aquí en el chat.'),
  },
};
