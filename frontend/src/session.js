/**
 * session.js — the connected wallet, its account and chain, and the mall's contracts bound to them.
 *
 * `get()` returns { wallet, account, chainId, onMallChain, mall } (mall — contract.js — is null
 * unless an account is connected on the mall's chain). Wallet events (accountsChanged,
 * chainChanged, disconnect) update the state in place and call `onChange` — no reload.
 */
import { createMall } from './contract.js';
import { ensureChain, followWallet, readChainId, requestAccount } from './wallet.js';

const EMPTY = Object.freeze({ wallet: null, account: null, chainId: null, onMallChain: false, mall: null });

export function createSession({ config, chainReader, onChange }) {
  let state = EMPTY;
  let unfollow = () => {};

  function update(patch) {
    const next = { ...state, ...patch };
    next.onMallChain = next.chainId === config.chainId;
    const bound = next.wallet && next.account && next.onMallChain;
    const unchanged = state.mall && state.account === next.account && state.wallet === next.wallet && state.onMallChain;
    next.mall = !bound
      ? null
      : unchanged
        ? state.mall
        : createMall({ config, chainReader, provider: next.wallet.provider, account: next.account });
    state = next;
    onChange(state);
  }

  function disconnect() {
    unfollow();
    unfollow = () => {};
    state = EMPTY;
    onChange(state);
  }

  async function connect(wallet) {
    const account = await requestAccount(wallet.provider);
    unfollow();
    unfollow = followWallet(wallet.provider, {
      accountsChanged: (next) => (next ? update({ account: next }) : disconnect()),
      chainChanged: (chainId) => update({ chainId }),
      disconnect,
    });
    update({ wallet, account, chainId: await readChainId(wallet.provider) });
    await switchChain();
  }

  async function switchChain() {
    if (!state.wallet) return;
    const chainId = await ensureChain(state.wallet.provider, config);
    if (chainId !== state.chainId) update({ chainId });
  }

  return { get: () => state, connect, disconnect, switchChain };
}
