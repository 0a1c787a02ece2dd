/**
 * views/walletBar.js — the header's wallet controls: Connect / Disconnect, the connected
 * account, the network (with "Switch network" when the wallet is elsewhere), and the
 * wallet picker dialog shown when several EIP-6963 wallets announced themselves.
 */
import { describeError } from '../errors.js';
import { h, mount } from '../dom.js';
import { shortAddress } from '../format.js';

/** EIP-6963 icons must be data: URIs; anything else is not rendered. */
function walletIcon(info) {
  if (typeof info.icon !== 'string' || !info.icon.startsWith('data:image/')) return null;
  return h('img', { src: info.icon, alt: '', width: 28, height: 28 });
}

export function createWalletBar({ root, picker, config, session, wallets, status, tokens }) {
  const abi = tokens.errorAbi();

  function pick(available) {
    const list = picker.querySelector('[data-role="wallet-list"]');
    return new Promise((resolve) => {
      let chosen = null;
      mount(list, available.map((wallet) => h('li', {}, h(
        'button',
        {
          type: 'button', class: 'wallet-choice', testid: `wallet-option-${wallet.info.rdns ?? wallet.info.uuid}`,
          onclick: () => { chosen = wallet; picker.close(); },
        },
        walletIcon(wallet.info),
        h('span', {}, wallet.info.name),
      ))));
      picker.addEventListener('close', () => resolve(chosen), { once: true });
      picker.showModal();
    });
  }

  /** Connect a wallet (asking which one if there are several). Resolves true on success. */
  async function connect() {
    const available = wallets.list();
    if (available.length === 0) {
      status.show('failed', 'No browser wallet found. Install one (for example MetaMask), then reload this page.');
      return false;
    }
    const wallet = available.length === 1 ? available[0] : await pick(available);
    if (!wallet) return false;
    try {
      await session.connect(wallet);
      status.show('idle', `Connected ${shortAddress(session.get().account)} with ${wallet.info.name}.`);
      return true;
    } catch (error) {
      status.show('failed', `Connecting the wallet failed: ${describeError(error, abi)}`);
      return false;
    }
  }

  async function switchChain() {
    try {
      await session.switchChain();
    } catch (error) {
      status.show('failed', `Switching network failed: ${describeError(error, abi)}`);
    }
  }

  function render() {
    const { account, onMallChain, wallet } = session.get();
    if (!account) {
      mount(root, h('button', { type: 'button', class: 'primary', testid: 'connect-button', onclick: connect }, 'Connect wallet'));
      return;
    }
    mount(
      root,
      h('span', { class: onMallChain ? 'network' : 'network wrong', testid: 'network' }, onMallChain ? config.chainName : 'Wrong network'),
      onMallChain ? null : h('button', { type: 'button', class: 'primary', testid: 'switch-network', onclick: switchChain }, `Switch to ${config.chainName}`),
      h('span', { class: 'account', testid: 'account', title: account, 'data-address': account },
        wallet.info.icon ? walletIcon(wallet.info) : null, shortAddress(account)),
      h('button', { type: 'button', class: 'secondary', testid: 'disconnect-button', onclick: session.disconnect }, 'Disconnect'),
    );
  }

  return { render, connect };
}
