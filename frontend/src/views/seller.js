/**
 * views/seller.js — the connected account as a seller: credit it can withdraw now, what it
 * earned and withdrew in total, money still in escrow, its sales, and the Withdraw button.
 */
import { h, remount } from '../dom.js';
import { formatEth } from '../format.js';
import { newestFirst, orderCard } from './orderCard.js';

export function createSellerView({ root, api, getSession, runTx, requireMarketplace }) {
  let generation = 0;

  async function withdraw(credit) {
    const marketplace = await requireMarketplace();
    if (!marketplace) return;
    await runTx({ label: `Withdrawing ${formatEth(credit)}`, send: (onStep) => marketplace.withdraw(onStep) });
  }

  function amount(label, wei, testid) {
    return h('div', {}, h('dt', {}, label), h('dd', { testid, 'data-wei': String(wei) }, formatEth(wei)));
  }

  function earnings(account, sales) {
    const credit = BigInt(account.credit);
    const inEscrow = sales.filter((order) => order.status === 'Paid').reduce((sum, order) => sum + BigInt(order.amount), 0n);
    return [
      h(
        'dl',
        { class: 'facts earnings' },
        amount('Withdrawable now', credit, 'credit'),
        amount('Earned in total', account.earned, 'earned'),
        amount('Withdrawn so far', account.withdrawn, 'withdrawn'),
        amount('In escrow, awaiting delivery', inEscrow, 'in-escrow'),
      ),
      h(
        'button',
        {
          type: 'button', class: 'primary', testid: 'withdraw-button', disabled: credit === 0n,
          'aria-describedby': credit === 0n ? 'withdraw-hint' : null,
          onclick: () => withdraw(credit),
        },
        credit === 0n ? 'Withdraw' : `Withdraw ${formatEth(credit)}`,
      ),
      credit === 0n ? h('p', { id: 'withdraw-hint', class: 'hint' }, 'Nothing to withdraw yet: you are credited when a buyer confirms delivery.') : null,
    ];
  }

  async function render() {
    const mine = ++generation;
    const { account } = getSession();
    if (!account) {
      remount(root, h('p', { class: 'empty' }, 'Connect your wallet to see your earnings and sales.'));
      return;
    }
    let summary;
    let sales;
    try {
      [summary, sales] = await Promise.all([api.account(account), api.orders({ seller: account, limit: 100 })]);
    } catch (error) {
      if (mine === generation) remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t load your earnings: ${error.message}`));
      return;
    }
    if (mine !== generation) return;
    remount(
      root,
      earnings(summary, sales.items),
      h('h3', {}, 'Sales'),
      sales.items.length === 0
        ? h('p', { class: 'empty' }, 'No sales yet.')
        : h('ul', { class: 'list', testid: 'sales-list' },
          newestFirst(sales.items).map((order) => orderCard(order, { prefix: 'sale', counterparty: 'buyer' }))),
    );
  }

  return { render };
}
