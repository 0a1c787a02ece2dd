/**
 * views/balances.js — an account's credit per token (GET /api/accounts/{address} `balances`)
 * as a table with a Withdraw button per token. Used for the buyer's refunds and the seller's
 * earnings; both are the same credit, withdrawn one token at a time.
 */
import { h } from '../dom.js';
import { formatAmount } from '../format.js';

/**
 * @param balances  the account's `balances` from the API
 * @param options   { prefix: data-testid prefix ('buyer' | 'seller'), caption,
 *                    columns: [[field, heading]] after "Withdrawable now",
 *                    tokens (tokens.js), withdraw(token, credit), emptyText }
 */
export function balancesTable(balances, { prefix, caption, columns, tokens, withdraw, emptyText }) {
  if (balances.length === 0) return h('p', { class: 'empty', testid: `${prefix}-no-balances` }, emptyText);
  const amountCell = (balance, token, field) => h('td', {
    class: 'num', testid: `${prefix}-${field}-${token.symbol}`, 'data-amount': String(balance[field] ?? 0),
  }, formatAmount(balance[field] ?? 0, token));

  return h(
    'table',
    { class: 'balances', testid: `${prefix}-balances` },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Token'),
      h('th', { scope: 'col', class: 'num' }, 'Withdrawable now'),
      columns.map(([, heading]) => h('th', { scope: 'col', class: 'num' }, heading)),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Withdraw')))),
    h('tbody', {}, balances.map((balance) => {
      const token = tokens.of(balance);
      const credit = BigInt(balance.credit ?? 0);
      return h('tr', {},
        h('th', { scope: 'row' }, token.symbol),
        amountCell(balance, token, 'credit'),
        columns.map(([field]) => amountCell(balance, token, field)),
        h('td', {}, h('button', {
          type: 'button', class: 'primary', testid: `${prefix}-withdraw-${token.symbol}`, disabled: credit === 0n,
          onclick: () => withdraw(token, credit),
        }, credit === 0n ? `Withdraw ${token.symbol}` : `Withdraw ${formatAmount(credit, token)}`)));
    })),
  );
}
