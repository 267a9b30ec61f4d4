/**
 * The assistant's vocabulary, as data: the words and phrases (English and Spanish, already
 * normalised: lower case, no accents) that name categories, accounts, periods and merchants, and
 * the function words of both languages. Understanding (`understand.ts`) reads only these tables,
 * so teaching it a new word is a one-line change with a corpus case beside it.
 */

export const categoryKeys = [
  'groceries',
  'restaurants',
  'coffee',
  'food',
  'gas',
  'transport',
  'travel',
  'shopping',
  'entertainment',
  'rent',
  'utilities',
  'health',
  'fitness',
  'fees',
  'income',
  'transfers',
] as const;
export type CategoryKey = (typeof categoryKeys)[number];

/**
 * Phrases per category, longest first when matched. Each also lists the Plaid personal finance
 * categories (detailed or primary prefixes) it covers, used to filter transactions.
 */
export const categories: Record<CategoryKey, { phrases: string[]; pfc: string[]; exclude?: string[] }> = {
  groceries: {
    phrases: ['groceries', 'grocery', 'grocery store', 'supermarket', 'supermarkets', 'food shopping', 'supermercado', 'supermercados', 'el super', 'al super', 'del super', 'despensa', 'mandado', 'mandados', 'abarrotes', 'mercado', 'viveres'],
    pfc: ['FOOD_AND_DRINK_GROCERIES'],
  },
  restaurants: {
    phrases: ['restaurants', 'restaurant', 'eating out', 'eat out', 'dining', 'dining out', 'dine out', 'takeout', 'take out', 'take away', 'takeaway', 'takeaways', 'fast food', 'food delivery', 'delivery', 'restaurantes', 'restaurante', 'comer fuera', 'comidas fuera', 'comida rapida', 'comer afuera', 'salir a comer'],
    pfc: ['FOOD_AND_DRINK_RESTAURANT', 'FOOD_AND_DRINK_FAST_FOOD'],
  },
  coffee: { phrases: ['coffee', 'coffees', 'coffee shops', 'coffee shop', 'cafe', 'cafes', 'cafecito', 'cafeterias', 'cafeteria'], pfc: ['FOOD_AND_DRINK_COFFEE'] },
  food: { phrases: ['food', 'comida', 'comidas', 'alimentos', 'food and drink', 'comida y bebida'], pfc: ['FOOD_AND_DRINK'] },
  gas: { phrases: ['gas', 'gasoline', 'fuel', 'gas station', 'gas stations', 'petrol', 'petrol station', 'diesel', 'gasolina', 'gasolinera', 'combustible', 'nafta'], pfc: ['TRANSPORTATION_GAS'] },
  transport: {
    phrases: ['transport', 'transportation', 'transit', 'taxi', 'taxis', 'rides', 'ride shares', 'public transport', 'bus', 'subway', 'metro', 'transporte', 'transporte publico', 'camion', 'pasajes'],
    pfc: ['TRANSPORTATION'],
    exclude: ['TRANSPORTATION_GAS'],
  },
  travel: { phrases: ['travel', 'trips', 'trip', 'flights', 'flight', 'hotels', 'hotel', 'vacation', 'viajes', 'viaje', 'vuelos', 'vuelo', 'hoteles', 'vacaciones'], pfc: ['TRAVEL'] },
  shopping: {
    phrases: ['shopping', 'online shopping', 'clothes', 'clothing', 'electronics', 'ropa', 'electronicos', 'tiendas', 'de compras', 'en compras', 'compras en linea', 'shops'],
    pfc: ['GENERAL_MERCHANDISE'],
  },
  entertainment: {
    phrases: ['entertainment', 'streaming', 'movies', 'movie', 'music', 'games', 'concerts', 'entretenimiento', 'diversion', 'cine', 'peliculas', 'musica', 'juegos', 'conciertos', 'streams'],
    pfc: ['ENTERTAINMENT'],
  },
  rent: { phrases: ['rent', 'renta', 'alquiler', 'arriendo', 'mortgage', 'hipoteca'], pfc: ['RENT_AND_UTILITIES_RENT'] },
  utilities: {
    phrases: ['utilities', 'utility', 'bills', 'utility bills', 'electricity', 'electric', 'electric bill', 'water', 'internet', 'phone bill', 'phone', 'cable', 'servicios', 'luz', 'agua', 'telefono', 'recibos', 'cuentas de luz', 'celular'],
    pfc: ['RENT_AND_UTILITIES'],
    exclude: ['RENT_AND_UTILITIES_RENT'],
  },
  health: {
    phrases: ['health', 'healthcare', 'medical', 'pharmacy', 'pharmacies', 'doctor', 'doctors', 'medicine', 'dentist', 'salud', 'farmacia', 'farmacias', 'medico', 'medicos', 'medicinas', 'medicamentos', 'doctor', 'dentista'],
    pfc: ['MEDICAL'],
  },
  fitness: { phrases: ['gym', 'gyms', 'fitness', 'gimnasio', 'gym membership', 'gimnasios', 'gimnacio'], pfc: ['PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS'] },
  fees: { phrases: ['fees', 'fee', 'bank fees', 'overdraft fees', 'comisiones', 'comision', 'cargos bancarios', 'cuotas bancarias'], pfc: ['BANK_FEES'] },
  income: { phrases: ['income', 'deposits', 'deposit', 'depositos', 'deposito', 'paycheck', 'paychecks', 'salary', 'wages', 'earnings', 'ingresos', 'sueldo', 'salario', 'nomina', 'quincena'], pfc: ['INCOME'] },
  transfers: { phrases: ['transfers', 'transfer', 'transferencias', 'transferencia', 'traspasos'], pfc: ['TRANSFER_IN', 'TRANSFER_OUT'] },
};

export type AccountType = 'checking' | 'savings' | 'credit';

export const accountTypes: Record<AccountType, string[]> = {
  checking: ['checking', 'checking account', 'chequing', 'debit', 'debit card', 'current account', 'cuenta corriente', 'corriente', 'cuenta de cheques', 'cheques', 'debito', 'tarjeta de debito'],
  savings: ['savings', 'saving', 'savings account', 'ahorro', 'ahorros', 'cuenta de ahorro', 'cuenta de ahorros'],
  credit: ['credit card', 'credit cards', 'credit', 'card', 'my card', 'visa', 'mastercard', 'amex', 'tarjeta de credito', 'tarjeta', 'credito', 'la tarjeta'],
};

/**
 * Merchants people commonly name. The person's own merchants (from their transactions) are
 * added at run time, so this list only has to cover what someone may ask about before it
 * appears in their data. Canonical form first, then aliases.
 */
export const merchants: [canonical: string, ...aliases: string[]][] = [
  ['netflix'],
  ['amazon', 'amazon com', 'amzn', 'amazon prime'],
  ['starbucks', 'starbuck', 'sbux'],
  ['uber eats', 'ubereats'],
  ['uber'],
  ['lyft'],
  ['spotify'],
  ['whole foods', 'whole foods market', 'wholefoods'],
  ['trader joes', 'trader joe', 'traderjoes'],
  ['target'],
  ['walmart', 'wal mart'],
  ['costco'],
  ['chipotle', 'chipotle mexican grill'],
  ['doordash', 'door dash'],
  ['grubhub'],
  ['comcast', 'xfinity'],
  ['t mobile', 'tmobile'],
  ['verizon'],
  ['att', 'at t', 'at and t'],
  ['shell'],
  ['chevron'],
  ['exxon'],
  ['cvs', 'cvs pharmacy'],
  ['walgreens'],
  ['etsy'],
  ['apple'],
  ['google'],
  ['hulu'],
  ['disney plus', 'disney'],
  ['mcdonalds', 'mc donalds', 'mcdonald'],
  ['home depot'],
  ['best buy'],
  ['airbnb'],
  ['ikea'],
  ['kroger'],
  ['safeway'],
  ['heb'],
  ['paypal'],
  ['venmo'],
  ['capmetro', 'cap metro'],
  // Mexico, Spain, Latin America and the UK: the other markets Spanish- and English-speaking people shop in.
  ['oxxo'],
  ['soriana'],
  ['liverpool'],
  ['coppel'],
  ['elektra'],
  ['bodega aurrera', 'aurrera'],
  ['chedraui'],
  ['sanborns'],
  ['telcel'],
  ['palacio de hierro'],
  ['mercado libre', 'mercadolibre'],
  ['mercado pago', 'mercadopago'],
  ['rappi'],
  ['didi', 'didi food'],
  ['cinepolis'],
  ['cinemex'],
  ['izzi'],
  ['totalplay'],
  ['mercadona'],
  ['carrefour'],
  ['el corte ingles', 'corte ingles'],
  ['lidl'],
  ['aldi'],
  ['eroski'],
  ['zara'],
  ['glovo'],
  ['cabify'],
  ['renfe'],
  ['movistar'],
  ['vodafone'],
  ['iberdrola'],
  ['falabella'],
  ['exito'],
  ['pedidos ya', 'pedidosya'],
  ['tottus'],
  ['ripley'],
  ['super selectos'],
  ['pricesmart'],
  ['tesco'],
  ['sainsburys', 'sainsbury'],
  ['asda'],
  ['morrisons'],
  ['deliveroo'],
  ['argos'],
  ['greggs'],
  ['publix'],
  ['chick fil a', 'chickfila'],
  ['dunkin', 'dunkin donuts'],
  ['taco bell'],
  ['dollar general'],
  ['dollar tree'],
  ['instacart'],
];

export const months: Record<string, number> = {
  january: 1, jan: 1, enero: 1, ene: 1,
  february: 2, feb: 2, febrero: 2,
  march: 3, marzo: 3,
  april: 4, apr: 4, abril: 4, abr: 4,
  may: 5, mayo: 5,
  june: 6, jun: 6, junio: 6,
  july: 7, jul: 7, julio: 7,
  august: 8, aug: 8, agosto: 8, ago: 8,
  september: 9, sep: 9, sept: 9, septiembre: 9, setiembre: 9,
  october: 10, oct: 10, octubre: 10,
  november: 11, nov: 11, noviembre: 11,
  december: 12, dec: 12, diciembre: 12, dic: 12,
};

/** Number words, turned into digits before anything else reads the text. */
export const numberWords: Record<string, number> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, doce: 12,
  quince: 15, veinte: 20, treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90,
  cien: 100, ciento: 100, doscientos: 200, trescientos: 300, quinientos: 500,
};
export const multiplierWords: Record<string, number> = { hundred: 100, thousand: 1000, mil: 1000, grand: 1000 };

/** Words that say which language a message is in (those both languages share are in neither). */
export const spanishWords = new Set(
  (
    'que cuanto cuanta cuantos cuantas mi mis el la los las del de en y con por para porque tengo tiene tienes tienen ' +
    'gaste gasto gastos gastado gastamos pague pago pagos saldo saldos cuenta cuentas hola gracias quiero puedes ' +
    'mes semana ano hoy ayer ultimo ultimos ultima ultimas cual cuales como donde cuando hasta desde sobre mas ' +
    'menos compra compras cargo cargos movimientos dinero ahorros tarjeta dime muestrame muestra ver ' +
    'alertas alerta avisame avisa activa desactiva apaga datos compartir compartiendo banco persona hablar ' +
    'ayuda buenas buenos dias tardes noches porfa favor oye bueno este esta estos pasado pasada sí si claro dale ' +
    'mejor nada nunca tambien solo ya usted ustedes son es hay algo alguna algun me te se lo le les nos ' +
    'cuál qué cuánto pesos dolares vez veces sueldo ingresos'
  ).split(' '),
);
export const englishWords = new Set(
  (
    'what whats how much many my the did do does i is in on at to show spend spent spending balance balances hi hello ' +
    'thanks thank me of last this week month year today yesterday have has are was were can you your please pls ' +
    'transactions purchases charges payments account accounts savings checking card owe money left any anything ' +
    'over under above below more than less biggest largest top alerts alert notify turn off stop sharing share ' +
    'data privacy person human agent help link bank connect with for and about same since from it that which ' +
    'tell give list find need want would like get got paid pay recent latest yes yeah yep nope sure ok okay thx ty ' +
    'hey good morning evening night dollars bucks so far'
  ).split(' '),
);

/** Everyday words of both languages, kept as they are (never "corrected" into a keyword). */
export const commonWords = (
  'a an the and or but if so to of in on at by for from with about as into than then there their they them ' +
  'i me my mine we our you your it its is am are was were be been being do does did done have has had having ' +
  'can could would should will shall may might must not no yes what whats which who whom whose when where why how ' +
  'all any anything some something each every much many more most less least few lot lots very really just only also ' +
  'too again still ever never always now here this that these those one two up down out off over under above below ' +
  'go going went get got give given make made take took see seen show tell let like want need know think say said ' +
  'please pls thanks thank thx ty hi hey hello yo ok okay sure yeah yep nope nah cool great good nice bad well ' +
  'money cash dollars dollar bucks usd amount total sum left available owe owed due pay paid paying payment payments ' +
  'spend spent spending cost costs charged charge charges purchase purchases bought buy transaction transactions ' +
  'activity history statement recent latest last past previous next first top biggest largest big large huge small ' +
  'account accounts bank banks balance balances savings checking credit card cards debit ' +
  'alert alerts notify notification notifications warn warning tell remind fraud fraudulent suspicious unusual ' +
  'turn switch enable disable activate deactivate start stop pause resume keep change update set setting settings ' +
  'data info information privacy private secure safe sell sold share shared sharing ads advertising advertisers ' +
  'person people human agent someone somebody representative rep operator support customer service real talk speak chat ' +
  'link connect add another new unlink disconnect remove delete revoke cancel access permission permissions consent ' +
  'export download copy file send email week weeks month months year years day days today yesterday tonight morning ' +
  'since until till from between during within around about approximately exactly ' +
  'que de la el en y a los las del se por un una con para es lo mas su al le ya o este esta si porque muy sin sobre ' +
  'me mi mis tu tus te nos hay cuando donde como cual cuales quien todo todos nada algo alguien otra otro otros ' +
  'cuanto cuanta cuantos cuantas dinero plata lana feria varo pesos dolares saldo saldos cuenta cuentas banco bancos ' +
  'gaste gasto gastos gastado gastar gastamos gastaste pague pago pagos pagado pagar compre compra compras comprado ' +
  'cargo cargos movimiento movimientos transaccion transacciones operaciones historial reciente recientes ultimo ' +
  'ultimos ultima ultimas pasado pasada anterior primero primeros mayor mayores grande grandes cara caras caro caros ' +
  'alerta alertas avisame avisa avisar aviso avisos notificame notifica notificacion notificaciones fraude sospechoso ' +
  'activa activar activame desactiva desactivar apaga apagar prende prender enciende encender quita quitar pon poner ' +
  'cambia cambiar cambio configuracion ajustes datos informacion privacidad seguro segura vender venden venta ' +
  'compartir compartiendo comparto compartes compartido anuncios publicidad persona personas humano agente asesor ' +
  'ejecutivo representante alguien hablar platicar comunicar servicio cliente vincular vincula conectar conecta ' +
  'agregar agrega anadir otro nuevo desvincular desconectar eliminar borrar borra revocar cancelar acceso permiso ' +
  'permisos exportar descargar descarga copia archivo enviar manda mandame correo semana semanas mes meses ano anos ' +
  'dia dias hoy ayer desde hasta entre durante quiero quisiera puedo puedes podrias dime muestrame muestra ver mira ' +
  'tengo tiene tienes tienen hola gracias ayuda buenas buenos tardes noches porfa porfavor favor xfa oye bueno ' +
  'claro dale vale sale no si mejor nunca tambien solo usted ustedes son es eso esa ese aqui alla hace hacen haces ' +
  'total disponible debo debe deuda queda quedan resto tarjeta credito debito ahorro ahorros corriente cheques ' +
  'received got earned income deposit deposits deposito depositos ingreso ingresos ' +
  // Frequent words of both languages that are not keywords, so a correction never turns them into one.
  'hold holds held keep keeps kept leave leaving left after before sitting sit sits stay stays staying guys folks ' +
  'right wrong true false maybe probably actually basically literally exactly okay alright fine sure whatever ' +
  'doing done make makes making pay paying spend spending going gonna wanna gotta lemme gimme ' +
  'quanto quiero queria hacerlo hazme dame dime dinos decir dice digo pregunta preguntar preguntarte ' +
  'alto alta altos altas fuerte fuertes menor menores mayor mayores cobro cobros cobraron cobrado chavos ' +
  'dont cant wont doesnt didnt isnt arent wasnt havent im ive id youre mind apply loan loans mortgage invest investment stocks bitcoin crypto price weather joke sports game score ' +
  'hacer hace hago hecho estoy estas esta estamos estan estuve era eres soy somos fue fui fueron ser estar ' +
  'tener tenia tenga tengas tengan poder puede pueden podria saber sabes sabe sabia veas vean vea leas lean ' +
  'tengas accedas acceder revisar revises usar usas usan uso usa queria queremos necesito necesitas ' +
  'pasta guita chamba jale wey guey bro dude man buddy amigo amiga senor senora gente mama papa mom dad ' +
  'went through came gone left still anymore any more thing things stuff way time times place work home ' +
  'house car phone store stores shop online check checked checks number numbers code name names new old ' +
  'feel like looks look looking want wanted wants trying try tried use used using able sorry hmm huh lol ' +
  'haha jaja jeje oye mira pues entonces igual tambien tampoco aun todavia despues antes luego ahora ' +
  'siempre mucho mucha muchos muchas poco poca pocos pocas otro otra mismo misma cosa cosas vez ' +
  'bien mal mejor peor nuevo vieja viejo casa carro coche trabajo escuela tienda tiendas'
).split(' ');

/** Shorthands people type, spelled out before anything else reads the text. */
export const shorthands: Record<string, string> = {
  q: 'que', ke: 'que', xq: 'porque', pq: 'porque', porq: 'porque', xfa: 'por favor', plis: 'por favor',
  pls: 'please', bout: 'about', abt: 'about', wat: 'what', wut: 'what', plz: 'please', u: 'you', ur: 'your', r: 'are', thx: 'thanks', tmb: 'tambien', tb: 'tambien', acct: 'account', acc: 'account', txns: 'transactions',
  txn: 'transaction', amt: 'amount', mo: 'month', yr: 'year', wk: 'week', hrs: 'hours', msg: 'message',
};
