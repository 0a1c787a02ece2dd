/**
 * wallet.js — find browser wallets and talk to one through EIP-1193.
 *
 * Discovery follows EIP-6963: listen for `eip6963:announceProvider` first, then dispatch
 * `eip6963:requestProvider`, and keep listening (wallets may announce late). A legacy
 * `window.ethereum` is offered only when no wallet announces itself.
 * Nothing here knows about the marketplace; chain details come from /api/config.
 */
import { getAddress, numberToHex } from 'viem';

const USER_REJECTED = 4001;
const UNRECOGNIZED_CHAIN = 4902;

/** Watch EIP-6963 announcements. `onChange(wallets)` runs whenever a new wallet appears. */
export function watchWallets(onChange = () => {}) {
  const wallets = new Map();
  const onAnnounce = (event) => {
    const { info, provider } = event.detail ?? {};
    if (!info?.uuid || typeof provider?.request !== 'function' || wallets.has(info.uuid)) return;
    wallets.set(info.uuid, { info, provider });
    onChange(list());
  };
  window.addEventListener('eip6963:announceProvider', onAnnounce);
  window.dispatchEvent(new Event('eip6963:requestProvider'));

  function list() {
    if (wallets.size > 0) return [...wallets.values()];
    if (typeof window.ethereum?.request === 'function') {
      return [{ info: { uuid: 'window.ethereum', name: 'Browser wallet', icon: null, rdns: null }, provider: window.ethereum }];
    }
    return [];
  }

  return { list, stop: () => window.removeEventListener('eip6963:announceProvider', onAnnounce) };
}

/** Ask the wallet for access; returns the selected account (checksummed). */
export async function requestAccount(provider) {
  const accounts = await provider.request({ method: 'eth_requestAccounts' });
  if (!accounts?.length) throw Object.assign(new Error('The wallet shared no account.'), { code: USER_REJECTED });
  return getAddress(accounts[0]);
}

export async function readChainId(provider) {
  return Number(await provider.request({ method: 'eth_chainId' }));
}

function errorCode(error) {
  // MetaMask mobile nests the code of a failed switch one level down.
  return error?.code ?? error?.data?.originalError?.code;
}

/**
 * Make sure the wallet is on the mall's chain: switch, and if the wallet does not know the
 * chain (4902), add it with the RPC URL from /api/config, then switch. Returns the chain id.
 */
export async function ensureChain(provider, config) {
  if ((await readChainId(provider)) === config.chainId) return config.chainId;
  const chainId = numberToHex(config.chainId);
  try {
    await provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId }] });
  } catch (error) {
    if (errorCode(error) !== UNRECOGNIZED_CHAIN) throw error;
    await provider.request({
      method: 'wallet_addEthereumChain',
      params: [{
        chainId,
        chainName: config.chainName,
        rpcUrls: [config.rpcUrl],
        nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      }],
    });
    // Adding a chain usually switches to it too; some wallets need the explicit switch.
    if ((await readChainId(provider)) !== config.chainId) {
      await provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId }] });
    }
  }
  return readChainId(provider);
}

/** Follow the wallet's events; returns a function that stops following them. */
export function followWallet(provider, { accountsChanged, chainChanged, disconnect }) {
  const handlers = {
    accountsChanged: (accounts) => accountsChanged(accounts?.length ? getAddress(accounts[0]) : null),
    chainChanged: (chainIdHex) => chainChanged(Number(chainIdHex)),
    disconnect: () => disconnect(),
  };
  if (typeof provider.on !== 'function') return () => {};
  for (const [event, handler] of Object.entries(handlers)) provider.on(event, handler);
  return () => {
    for (const [event, handler] of Object.entries(handlers)) provider.removeListener?.(event, handler);
  };
}
