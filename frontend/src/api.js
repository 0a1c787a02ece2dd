/**
 * api.js — the indexer's read-only HTTP API (same origin as this page).
 *
 * Every function returns parsed JSON or throws an ApiError carrying the HTTP status and the
 * API's own `message`. Wei amounts stay decimal strings here; views turn them into BigInt.
 */

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function createApi(baseUrl = '') {
  async function get(path, params = {}) {
    let response;
    try {
      response = await fetch(`${baseUrl}${path}${query(params)}`, {
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
    products: ({ seller, limit, offset } = {}) => get('/api/products', { seller, limit, offset }),
    product: (id) => get(`/api/products/${encodeURIComponent(id)}`),
    orders: ({ buyer, seller, limit, offset } = {}) => get('/api/orders', { buyer, seller, limit, offset }),
    account: (address) => get(`/api/accounts/${encodeURIComponent(address)}`),
  };
}
