// What the demo's events say: transactions per service profile, exception messages and tags per platform.
// Weights are relative; medians and sigmas describe log-normal durations in milliseconds.
/** The kind of a project's platform; it decides which messages and client tags its events carry. */
export type PlatformKind = 'backend' | 'web' | 'ios' | 'android';

export type Level = 'fatal' | 'error' | 'warning' | 'info';

export type MessageSpec = { message: string; level: Level; weight: number };

export type TransactionSpec = {
  name: string;
  /** Share of the project's transactions. */
  weight: number;
  /** Share of the project's errors that happen in this transaction. */
  errorWeight: number;
  medianMs: number;
  sigma: number;
  /** Share of transactions that end in a non-ok status. */
  failureShare: number;
};

export type Tags = Readonly<Record<string, string>>;
export type TagSpec = { tags: Tags; weight: number };

export type Profile =
  | 'shop-api'
  | 'payments-worker'
  | 'gateway'
  | 'billing'
  | 'storefront'
  | 'dashboard'
  | 'mobile';

const t = (
  name: string,
  weight: number,
  errorWeight: number,
  medianMs: number,
  sigma = 0.5,
  failureShare = 0.01,
) => ({
  name,
  weight,
  errorWeight,
  medianMs,
  sigma,
  failureShare,
});

export const TRANSACTIONS: Readonly<Record<Profile, readonly TransactionSpec[]>> = {
  'shop-api': [
    t('/checkout/pay', 8, 10, 220, 0.45, 0.02),
    t('/checkout/confirm', 5, 4, 160, 0.45),
    t('/api/cart', 20, 6, 60, 0.5, 0.005),
    t('/api/cart/items', 14, 5, 45, 0.5, 0.005),
    t('/api/products/:id', 25, 5, 35, 0.6, 0.003),
    t('/api/search', 10, 3, 140, 0.6),
    t('/health', 18, 0, 2, 0.3, 0),
  ],
  'payments-worker': [
    t('payments.capture', 30, 8, 420, 0.5),
    t('payments.refund', 6, 3, 380, 0.5),
    t('payments.webhook', 20, 4, 90, 0.5),
    t('ledger.sync', 8, 3, 1400, 0.6, 0.02),
  ],
  gateway: [
    t('/v2/search', 25, 6, 150, 0.6),
    t('/v2/orders', 15, 5, 90, 0.5),
    t('/v2/orders/:id', 15, 3, 40, 0.5, 0.005),
    t('/v2/auth/token', 10, 4, 70, 0.5),
    t('/v2/inventory', 10, 2, 110, 0.5),
    t('/health', 20, 0, 2, 0.3, 0),
  ],
  billing: [
    t('/invoices', 20, 6, 120, 0.5),
    t('/invoices/:id', 15, 3, 60, 0.5, 0.005),
    t('/invoices/:id/pdf', 8, 4, 900, 0.45, 0.02),
    t('/reports/tps', 6, 3, 2500, 0.5, 0.02),
    t('/health', 15, 0, 2, 0.3, 0),
  ],
  storefront: [
    t('/', 20, 5, 1100, 0.5, 0.005),
    t('/products/:slug', 30, 8, 1300, 0.5, 0.005),
    t('/cart', 12, 5, 1000, 0.5, 0.005),
    t('/checkout', 8, 6, 1500, 0.5),
    t('/account', 5, 2, 1200, 0.5, 0.005),
  ],
  dashboard: [
    t('/dashboard', 30, 6, 900, 0.5, 0.005),
    t('/reports', 15, 4, 1400, 0.5),
    t('/reports/:id', 10, 3, 1100, 0.5),
    t('/settings', 5, 1, 700, 0.5, 0.005),
  ],
  mobile: [
    t('AppLaunch', 20, 3, 1100, 0.5, 0.005),
    t('ProductListScreen', 25, 5, 400, 0.5, 0.005),
    t('ProductDetailScreen', 20, 4, 350, 0.5, 0.005),
    t('CartScreen', 12, 4, 300, 0.5),
    t('CheckoutScreen', 8, 5, 600, 0.5, 0.02),
  ],
};

const m = (message: string, level: Level, weight: number): MessageSpec => ({ message, level, weight });

export const MESSAGES: Readonly<Record<PlatformKind, readonly MessageSpec[]>> = {
  backend: [
    m('TimeoutError: upstream request to payments-provider timed out after 5000ms', 'error', 12),
    m('ConnectionResetError: [Errno 104] Connection reset by peer', 'error', 10),
    m("KeyError: 'currency'", 'error', 6),
    m('IntegrityError: duplicate key value violates unique constraint "cart_items_pkey"', 'error', 7),
    m('OperationalError: could not obtain lock on row in relation "orders"', 'error', 5),
    m('RateLimitExceeded: provider rate limit exceeded, retrying in 2s', 'warning', 9),
    m('SlowQuery: SELECT ... FROM orders WHERE customer_id = %s took 2412ms', 'warning', 6),
    m('WorkerLostError: Worker exited prematurely: signal 9 (SIGKILL)', 'fatal', 2),
    m('Retrying task after transient failure', 'info', 5),
  ],
  web: [
    m("TypeError: Cannot read properties of undefined (reading 'id')", 'error', 14),
    m('TypeError: Failed to fetch', 'error', 10),
    m('ChunkLoadError: Loading chunk 482 failed.', 'error', 6),
    m('ReferenceError: gtag is not defined', 'error', 4),
    m('Error: Minified React error #418; visit https://react.dev/errors/418', 'error', 5),
    m('ResizeObserver loop completed with undelivered notifications.', 'warning', 9),
    m('AbortError: The user aborted a request.', 'warning', 5),
    m('Non-Error promise rejection captured with value: undefined', 'info', 4),
  ],
  ios: [
    m('EXC_BAD_ACCESS (SIGSEGV): KERN_INVALID_ADDRESS in CheckoutViewController.viewDidLoad()', 'fatal', 3),
    m(
      'NSInvalidArgumentException: -[__NSCFNumber length]: unrecognized selector sent to instance',
      'fatal',
      2,
    ),
    m('Fatal error: Unexpectedly found nil while unwrapping an Optional value', 'fatal', 2),
    m('NSURLErrorDomain -1001: The request timed out.', 'error', 12),
    m('DecodingError.keyNotFound: "price" in CartResponse', 'error', 7),
    m('App hanging for at least 2000 ms.', 'warning', 8),
    m('Memory warning received', 'warning', 4),
    m('Background task expired', 'info', 3),
  ],
  android: [
    m(
      "java.lang.NullPointerException: Attempt to invoke virtual method 'java.lang.String com.globex.shop.Order.getId()' on a null object reference",
      'fatal',
      3,
    ),
    m('java.lang.OutOfMemoryError: Failed to allocate a 16777232 byte allocation', 'fatal', 2),
    m('java.net.SocketTimeoutException: timeout', 'error', 12),
    m('java.lang.IllegalStateException: Fragment CartFragment not attached to a context.', 'error', 8),
    m('android.database.sqlite.SQLiteDatabaseLockedException: database is locked', 'error', 5),
    m('ApplicationNotResponding: Background ANR', 'error', 4),
    m('StrictMode policy violation: android.os.strictmode.DiskReadViolation', 'warning', 7),
    m('Slow frames detected in CheckoutActivity', 'info', 3),
  ],
};

const tags = (weight: number, entries: Record<string, string>): TagSpec => ({
  tags: Object.freeze(entries),
  weight,
});

/** Per-platform tag sets; backends get theirs from the organization's regions (see world.ts). */
export const CLIENT_TAGS: Readonly<Record<Exclude<PlatformKind, 'backend'>, readonly TagSpec[]>> = {
  web: [
    tags(30, { 'browser.name': 'Chrome', 'os.name': 'Windows' }),
    tags(12, { 'browser.name': 'Chrome', 'os.name': 'macOS' }),
    tags(14, { 'browser.name': 'Chrome', 'os.name': 'Android' }),
    tags(16, { 'browser.name': 'Safari', 'os.name': 'iOS' }),
    tags(7, { 'browser.name': 'Safari', 'os.name': 'macOS' }),
    tags(9, { 'browser.name': 'Edge', 'os.name': 'Windows' }),
    tags(5, { 'browser.name': 'Firefox', 'os.name': 'Windows' }),
    tags(2, { 'browser.name': 'Firefox', 'os.name': 'Linux' }),
    tags(5, { 'browser.name': 'Samsung Internet', 'os.name': 'Android' }),
  ],
  ios: [
    tags(46, { 'os.name': 'iOS', 'os.version': '18.1', 'device.family': 'iPhone' }),
    tags(32, { 'os.name': 'iOS', 'os.version': '17.6', 'device.family': 'iPhone' }),
    tags(12, { 'os.name': 'iOS', 'os.version': '18.1', 'device.family': 'iPad' }),
    tags(10, { 'os.name': 'iOS', 'os.version': '16.7', 'device.family': 'iPhone' }),
  ],
  android: [
    tags(34, { 'os.name': 'Android', 'os.version': '14', 'device.family': 'Samsung' }),
    tags(22, { 'os.name': 'Android', 'os.version': '14', 'device.family': 'Pixel' }),
    tags(24, { 'os.name': 'Android', 'os.version': '13', 'device.family': 'Xiaomi' }),
    tags(12, { 'os.name': 'Android', 'os.version': '12', 'device.family': 'Samsung' }),
    tags(8, { 'os.name': 'Android', 'os.version': '13', 'device.family': 'OnePlus' }),
  ],
};

export type TransactionStatus = { status: string; weight: number };

/** Non-ok statuses on a normal day. `cancelled` and `unknown` do not count as failures (Sentry's failure_rate). */
export const FAILURE_STATUSES: readonly TransactionStatus[] = [
  { status: 'internal_error', weight: 45 },
  { status: 'deadline_exceeded', weight: 18 },
  { status: 'unavailable', weight: 8 },
  { status: 'not_found', weight: 5 },
  { status: 'permission_denied', weight: 2 },
  { status: 'resource_exhausted', weight: 3 },
  { status: 'cancelled', weight: 11 },
  { status: 'unknown', weight: 8 },
];

/** What an outage returns: only statuses failure_rate() counts. */
export const OUTAGE_STATUSES: readonly TransactionStatus[] = [
  { status: 'internal_error', weight: 5 },
  { status: 'deadline_exceeded', weight: 4 },
  { status: 'unavailable', weight: 1 },
];
