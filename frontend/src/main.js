/**
 * main.js — wire the page: load /api/config and /api/platform, follow wallets, route between
 * the views (#catalog, #cart, #orders, #seller, #arbiter, #support; #product/<id> and #profile;
 * #compare, #explorer/<kind>/<id>, #admin, #points) and re-render them when the wallet, the chain or the cart changes.
 */
import { createApi } from './api.js';
import { createCart } from './cart.js';
import { createChainReader } from './chain.js';
import { h, mount } from './dom.js';
import { forgetProfiles, useProfiles } from './profiles.js';
import { createSession } from './session.js';
import { createTokenRegistry } from './tokens.js';
import { createTxRunner, createTxStatus } from './tx.js';
import { useVerifier } from './verify.js';
import { watchWallets } from './wallet.js';
import { createWalletReader } from './walletRpc.js';
import { createActions } from './views/actions.js';
import { createAdminView } from './views/admin.js';
import { createArbiterView } from './views/arbiter.js';
import { createCartView } from './views/cart.js';
import { createCatalogView } from './views/catalog.js';
import { createCompare } from './views/compare.js';
import { createExplorerView } from './views/explorer.js';
import { createListProductForm } from './views/listProduct.js';
import { createOrdersView } from './views/orders.js';
import { createPointsView } from './views/points.js';
import { createProductView } from './views/product.js';
import { createProfileView } from './views/profile.js';
import { createSellerView } from './views/seller.js';
import { createSellerTools } from './views/sellerTools.js';
import { createSupportView } from './views/support.js';
import { invalidateLineDetails } from './views/timeline.js';
import { createWalletBar } from './views/walletBar.js';

const ROUTES = ['catalog', 'cart', 'orders', 'seller', 'arbiter', 'support', 'product', 'profile', 'compare', 'explorer', 'admin', 'points'];

const byId = (id) => document.getElementById(id);

/** The route's name: the hash up to a slash (#product/12 is the product page of product 12). */
const routeName = () => window.location.hash.slice(1).split('/')[0];

function currentRoute() {
  const name = routeName();
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

  const tokens = createTokenRegistry(config);
  const refreshPlatform = () => api.platform().then((platform) => tokens.update(platform.tokens)).catch(() => {});
  await refreshPlatform();
  const chainReader = createChainReader(config);
  const cart = createCart({ chainId: config.chainId, marketplace: config.contracts.Marketplace.address });
  const announce = (message) => { byId('announcer').textContent = message; };

  const views = {};
  let listForm;
  const refreshAll = async () => {
    await refreshPlatform();
    listForm.update();
    await Promise.all(Object.values(views).map((view) => view.render()));
  };
  const session = createSession({ config, chainReader, onChange: () => { walletBar.render(); refreshAll(); } });
  const wallets = watchWallets();
  const walletBar = createWalletBar({ root: byId('wallet-bar'), picker: byId('wallet-picker'), config, session, wallets, status, tokens });

  /** The mall's contracts for the connected account, connecting or switching network first if needed. */
  async function requireMall() {
    if (!session.get().account && !(await walletBar.connect())) return null;
    if (!session.get().onMallChain) {
      try {
        await session.switchChain();
      } catch {
        status.show('failed', `Switch your wallet to ${config.chainName} first.`);
        return null;
      }
    }
    return session.get().mall;
  }

  const runTx = createTxRunner({
    status, api, tokens, chainReader,
    refresh: () => { invalidateLineDetails(); forgetProfiles(); return refreshAll(); },
    onBusyChange: (busy) => { document.body.dataset.busy = String(busy); },
  });
  const actions = createActions({ runTx, requireMall, tokens, config });
  const ctx = { api, config, status, tokens, chainReader, cart, announce, getSession: session.get, runTx, requireMall, actions };
  ctx.compare = createCompare({ root: byId('compare-body'), bar: byId('compare-bar'), ...ctx }); // the catalog's "Compare" boxes
  views.catalog = createCatalogView({ root: byId('catalog-body'), ...ctx });
  views.cart = createCartView({ root: byId('cart-body'), ...ctx });
  views.orders = createOrdersView({ root: byId('orders-body'), ...ctx });
  views.seller = createSellerView({ root: byId('seller-body'), ...ctx });
  views.arbiter = createArbiterView({ root: byId('arbiter-body'), ...ctx });
  views.support = createSupportView({ root: byId('support-body'), ...ctx });
  useProfiles(api); // names and badges next to addresses
  views.product = createProductView({ root: byId('product-body'), ...ctx });
  views.profile = createProfileView({ root: byId('profile-body'), ...ctx });
  // Admin, seller tools, explorer and compare; admin reads and "Verify" go through the wallet's own RPC.
  const reader = createWalletReader({ getSession: session.get, chainReader, config });
  useVerifier({ config, reader });
  views.admin = createAdminView({ root: byId('admin-body'), ...ctx, reader });
  views.explorer = createExplorerView({ root: byId('explorer-body'), ...ctx });
  views.sellerTools = createSellerTools({ root: byId('seller-tools'), ...ctx });
  views.points = createPointsView({ root: byId('points-body'), ...ctx, reader }); // balance, history, check-in, points mall
  views.compare = ctx.compare;
  listForm = createListProductForm(ctx);
  byId('list-product').append(listForm.element);

  const showCartCount = () => {
    const count = cart.count();
    const badge = byId('cart-count');
    badge.dataset.count = String(count);
    badge.hidden = count === 0;
    mount(badge, String(count), h('span', { class: 'visually-hidden' }, count === 1 ? ' item' : ' items'));
  };
  cart.subscribe(() => { showCartCount(); views.cart.render(); });
  showCartCount();

  function showRoute({ focus }) {
    const route = currentRoute();
    for (const name of ROUTES) {
      byId(name).hidden = name !== route;
      const link = document.querySelector(`[data-testid="nav-${name}"]`);
      if (!link) continue; // a page without a tab (#product/<id>)
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
    if (ROUTES.includes(routeName())) showRoute({ focus: true });
  });

  walletBar.render();
  showRoute({ focus: false });
  await refreshAll();
  document.body.dataset.ready = 'true';
}

start();
