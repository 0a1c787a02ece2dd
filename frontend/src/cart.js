/**
 * cart.js — the shopping cart: product ids and quantities, kept in localStorage per chain and
 * marketplace (so a cart never leaks into another deployment), shared by every tab.
 *
 * Only ids and quantities are stored; prices, tokens and stock are read fresh from the API
 * whenever the cart is shown, because they may have changed since.
 */
const MAX_QUANTITY = 65_535; // CartItem.quantity is a uint16

export function createCart({ chainId, marketplace, storage = window.localStorage }) {
  const storageKey = `mall.cart.v1.${chainId}.${marketplace.toLowerCase()}`;
  const listeners = new Set();

  function read() {
    try {
      const items = JSON.parse(storage.getItem(storageKey) ?? '[]');
      return Array.isArray(items)
        ? items.filter((item) => Number.isInteger(item?.productId) && Number.isInteger(item?.quantity) && item.quantity > 0)
        : [];
    } catch {
      return [];
    }
  }

  function write(items) {
    try {
      storage.setItem(storageKey, JSON.stringify(items));
    } catch {
      // storage full or disabled: the cart still works until the page is closed
    }
    for (const listener of listeners) listener(items);
  }

  // Another tab changed the cart.
  window.addEventListener('storage', (event) => {
    if (event.key === storageKey) for (const listener of listeners) listener(read());
  });

  return {
    MAX_QUANTITY,
    items: read,
    /** Units in the cart, all products together. */
    count: () => read().reduce((sum, item) => sum + item.quantity, 0),
    add(productId, quantity) {
      const items = read();
      const existing = items.find((item) => item.productId === productId);
      if (existing) existing.quantity = Math.min(MAX_QUANTITY, existing.quantity + quantity);
      else items.push({ productId, quantity: Math.min(MAX_QUANTITY, quantity) });
      write(items);
    },
    setQuantity(productId, quantity) {
      write(read().map((item) => (item.productId === productId ? { ...item, quantity } : item)));
    },
    remove(productIds) {
      const gone = new Set([productIds].flat());
      write(read().filter((item) => !gone.has(item.productId)));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
