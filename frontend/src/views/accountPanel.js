/**
 * views/accountPanel.js — render() for a panel about the connected account (the seller's sales
 * chart, their listings): empty without an account, a notice when loading fails, and a load that
 * a newer render overtook is dropped.
 */
import { h, remount } from '../dom.js';

/** `load(account)` → data; `show(data, account)` → nodes; `what` names the data in the notice. */
export function accountPanel({ root, getSession, load, show, what }) {
  let generation = 0;
  return async function render() {
    const mine = ++generation;
    const { account } = getSession();
    if (!account) {
      remount(root);
      return;
    }
    let data;
    try {
      data = await load(account);
    } catch (error) {
      if (mine === generation) remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t load ${what}: ${error.message}`));
      return;
    }
    if (mine === generation) remount(root, show(data, account));
  };
}
