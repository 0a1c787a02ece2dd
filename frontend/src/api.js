/**
 * api.js — the indexer's read-only HTTP API (same origin as this page).
 *
 * Every function returns parsed JSON or throws an ApiError carrying the HTTP status and the
 * API's own `message`. Token amounts stay decimal strings (smallest unit) here; views turn
 * them into BigInt.
 */

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

function query(params, repeated = []) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  for (const [key, value] of repeated) search.append(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function createApi(baseUrl = '') {
  async function get(path, params = {}, repeated = []) {
    let response;
    try {
      response = await fetch(`${baseUrl}${path}${query(params, repeated)}`, {
        headers: { Accept: 'application/json' },
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'The mall’s server could not be reached.');
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, body?.message ?? `The mall’s server answered ${response.status}.`);
    }
    return body;
  }

  return {
    health: () => get('/api/health'),
    config: () => get('/api/config'),
    platform: () => get('/api/platform'),
    products: ({ seller, token, limit, offset } = {}) => get('/api/products', { seller, token, limit, offset }),
    product: (id) => get(`/api/products/${encodeURIComponent(id)}`),
    orders: ({ buyer, seller, limit, offset } = {}) => get('/api/orders', { buyer, seller, limit, offset }),
    lines: ({ buyer, seller, status, limit, offset } = {}) => get('/api/lines', { buyer, seller, status, limit, offset }),
    /** One order line with its `timeline` (every event that touched it, oldest first). */
    line: (lineId) => get(`/api/lines/${encodeURIComponent(lineId)}`),
    account: (address) => get(`/api/accounts/${encodeURIComponent(address)}`),
    // the resolution centre
    disputes: ({ status, arbiter, party, limit, cursor } = {}) => get('/api/disputes', { status, arbiter, party, limit, cursor }),
    /** A line's dispute with its `timeline` and `evidence`. */
    dispute: (lineId) => get(`/api/disputes/${encodeURIComponent(lineId)}`),
    arbiters: ({ active, limit, offset } = {}) => get('/api/arbiters', { active, limit, offset }),
    cases: ({ status, buyer, seller, limit, offset } = {}) => get('/api/cases', { status, buyer, seller, limit, offset }),
    /** A support case with its `messages` (the opening one first) and `timeline`. */
    supportCase: (caseId) => get(`/api/cases/${encodeURIComponent(caseId)}`),
    // provenance, reviews, profiles and sealed shipping details
    productProvenance: (id, { limit, offset } = {}) => get(`/api/products/${encodeURIComponent(id)}/provenance`, { limit, offset }),
    /** A line's story: its batch (and that batch's events up to the link), its own events, the marketplace's. */
    lineProvenance: (lineId) => get(`/api/lines/${encodeURIComponent(lineId)}/provenance`),
    /** The sealed shipping details posted for a line (ciphertext only), oldest first. */
    lineEnvelopes: (lineId, { recipient, limit, offset } = {}) =>
      get(`/api/lines/${encodeURIComponent(lineId)}/envelopes`, { recipient, limit, offset }),
    /** `lines`: order line ids (at most 100), sent as repeated `line` parameters. */
    reviews: ({ seller, product, author, lines = [], limit, offset } = {}) =>
      get('/api/reviews', { seller, product, author, limit, offset }, lines.map((id) => ['line', id])),
    reputation: (seller) => get(`/api/sellers/${encodeURIComponent(seller)}/reputation`),
    profile: (address) => get(`/api/profiles/${encodeURIComponent(address)}`),
    // loyalty points and the points mall
    /** { balance, nextExpiries: [{ points, expiresAt }], expired, earned, spent, expiredTotal, lastCheckInDay, … } */
    points: (address, { at } = {}) => get(`/api/points/${encodeURIComponent(address)}`, { at }),
    pointsHistory: (address, { kind, limit, offset } = {}) => get(`/api/points/${encodeURIComponent(address)}/history`, { kind, limit, offset }),
    /** Completed lines of `address` whose purchase points nobody collected: { lines: [{ lineId, … }] }. */
    claimablePoints: (address) => get(`/api/points/claimable/${encodeURIComponent(address)}`),
    pointsListings: ({ onSale, limit, offset } = {}) => get('/api/points/mall/listings', { onSale, limit, offset }),
    redemptions: ({ buyer, status, limit, offset } = {}) => get('/api/points/redemptions', { buyer, status, limit, offset }),
    // admin, seller tools and explorer
    deployment: () => get('/api/deployment'),
    /** Every role holder the index knows: [{ contract, role, roleHash, account, grantedBlock }]. */
    roles: () => get('/api/roles'),
    sellerStats: (address) => get(`/api/sellers/${encodeURIComponent(address)}/stats`),
    /** A product's on-chain trail: { productId, total, timeline }. */
    productEvents: (id) => get(`/api/products/${encodeURIComponent(id)}/events`),
  };
}

/**
 * The first `pages` pages of a paginated endpoint, as one { items, total }:
 * `fetchPage({ limit, offset })` is e.g. (range) => api.orders({ buyer, ...range }).
 */
export async function loadPages(fetchPage, { pages = 1, pageSize = 50 } = {}) {
  const loaded = await Promise.all(
    Array.from({ length: pages }, (_, index) => fetchPage({ limit: pageSize, offset: index * pageSize })),
  );
  return { items: loaded.flatMap((part) => part.items), total: loaded[loaded.length - 1].total };
}
