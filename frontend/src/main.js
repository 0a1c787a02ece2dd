/**
 * main.js — wire the page: load /api/config, follow wallets, route between the three views
 * (#catalog, #orders, #seller) and re-render them when the wallet or the chain changes.
 */
import { createApi } from './api.js';
import { createSession } from './session.js';
import { createTxRunner, createTxStatus } from './tx.js';
import { watchWallets } from './wallet.js';
import { createCatalogView } from './views/catalog.js';
import { createListProductForm } from './views/listProduct.js';
import { createOrdersView } from './views/orders.js';
import { createSellerView } from './views/seller.js';
import { createWalletBar } from './views/walletBar.js';

const ROUTES = ['catalog', 'orders', 'seller'];

const byId = (id) => document.getElementById(id);

function currentRoute() {
  const name = window.location.hash.slice(1);
  return ROUTES.includes(name) ? name : 'catalog';
}

async function start() {
  const api = createApi();
  const status = createTxStatus(byId('tx-status'));
  let config;
  try {
    config = await api.config();
  } catch (error) {
    byId('notice').textContent = `The mall is unavailable: ${error.message}`;
    return;
  }
  byId('chain-name').textContent = config.chainName;

  const views = {};
  const refreshAll = () => Promise.all(Object.values(views).map((view) => view.render()));
  const session = createSession({ config, onChange: () => { walletBar.render(); refreshAll(); } });
  const wallets = watchWallets();
  const walletBar = createWalletBar({ root: byId('wallet-bar'), picker: byId('wallet-picker'), config, session, wallets, status });

  /** The Marketplace for the connected account, connecting or switching network first if needed. */
  async function requireMarketplace() {
    if (!session.get().account && !(await walletBar.connect())) return null;
    if (!session.get().onMallChain) {
      try {
        await session.switchChain();
      } catch {
        status.show('failed', `Switch your wallet to ${config.chainName} first.`);
        return null;
      }
    }
    return session.get().marketplace;
  }

  const runTx = createTxRunner({
    status, api, abi: config.contracts.Marketplace.abi, refresh: refreshAll,
    onBusyChange: (busy) => { document.body.dataset.busy = String(busy); },
  });
  const ctx = { api, status, getSession: session.get, runTx, requireMarketplace };
  views.catalog = createCatalogView({ root: byId('catalog-body'), ...ctx });
  views.orders = createOrdersView({ root: byId('orders-body'), ...ctx });
  views.seller = createSellerView({ root: byId('seller-body'), ...ctx });
  byId('list-product').append(createListProductForm(ctx));

  function showRoute({ focus }) {
    const route = currentRoute();
    for (const name of ROUTES) {
      byId(name).hidden = name !== route;
      const link = document.querySelector(`[data-testid="nav-${name}"]`);
      if (name === route) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (focus) {
      byId(`${route}-heading`).focus();
      views[route].render(); // navigating is also how people ask for fresh data
    }
  }
  window.addEventListener('hashchange', () => {
    // In-page anchors such as the skip link (#main) are not routes: leave the view alone.
    if (ROUTES.includes(window.location.hash.slice(1))) showRoute({ focus: true });
  });

  walletBar.render();
  showRoute({ focus: false });
  refreshAll();
  document.body.dataset.ready = 'true';
}

start();
