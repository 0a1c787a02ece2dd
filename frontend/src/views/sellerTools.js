/**
 * views/sellerTools.js — the seller page's tools below the order queue: sales over time
 * (views/salesChart.js), the CSV catalogue import (views/importCsv.js) and "My listings" with
 * price, restock, delist and relist (views/listings.js). The import panel is built once, so a file
 * being imported survives the re-renders every transaction causes.
 */
import { h, mount } from '../dom.js';
import { createCatalogImport } from './importCsv.js';
import { createListingsView } from './listings.js';
import { createSalesChart } from './salesChart.js';

export function createSellerTools({ root, ...ctx }) {
  const chartRoot = h('div', { class: 'sales', testid: 'sales' });
  const listingsRoot = h('div', { class: 'my-listings' });
  const chart = createSalesChart({ root: chartRoot, ...ctx });
  const listings = createListingsView({ root: listingsRoot, ...ctx });
  const importer = createCatalogImport(ctx);
  mount(root, chartRoot, importer.element, listingsRoot);

  return {
    render() {
      root.hidden = !ctx.getSession().account;
      return Promise.all([chart.render(), listings.render()]);
    },
  };
}
