/**
 * A stand-in for MetaMask in the browser tests, bundled by esbuild into an init script.
 *
 * Like MetaMask, it holds the private key in the page and the node holds none: it answers
 * eth_requestAccounts / eth_accounts / eth_chainId itself, switches and adds chains
 * (wallet_switchEthereumChain answers 4902 for unknown chains; wallet_addEthereumChain checks
 * the RPC's chain id), signs transactions locally (nonce, gas, EIP-1559 fees and chain id
 * filled in, signed with viem's privateKeyToAccount, sent with eth_sendRawTransaction), signs
 * EIP-712 typed data (eth_signTypedData_v4, e.g. an EIP-2612 permit) with the same key after
 * MetaMask's checks (the signer is the account, the domain's chainId the current chain),
 * forwards every other read to the current chain's RPC over HTTP, and emits
 * accountsChanged / chainChanged. It announces itself through EIP-6963 and as window.ethereum.
 *
 * Configuration: window.__STUB_WALLET_CONFIG__ = { privateKey, chainId, rpcUrl, decoy }
 *   chainId/rpcUrl: the chain the wallet starts on; rpcUrl null = a chain it has no RPC for
 *   (so the dApp has to switch/add its chain). decoy: also announce a second wallet, so the
 *   dApp shows its picker.
 * Test controls on window.__stubWallet: useKey(privateKey) (switch account → accountsChanged),
 *   rejectNext() (the next signature request is rejected with 4001), address, chainId, log (every
 *   method asked for, in order), typedData (every typed-data message signed).
 */
import { privateKeyToAccount } from 'viem/accounts';

const ICON = `data:image/svg+xml;base64,${btoa(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#5b3cc4"/><path d="M8 11h16v10H8z" fill="#fff"/><circle cx="20" cy="16" r="2" fill="#5b3cc4"/></svg>',
)}`;

function rpcError(code, message, data) {
  return Object.assign(new Error(message), { code, ...(data === undefined ? {} : { data }) });
}

async function jsonRpc(url, method, params = []) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: Date.now(), method, params }),
  });
  const body = await response.json();
  if (body.error) throw rpcError(body.error.code, body.error.message, body.error.data);
  return body.result;
}

const toHex = (n) => `0x${BigInt(n).toString(16)}`;

class StubWallet {
  constructor({ privateKey, chainId, rpcUrl }) {
    this.account = privateKeyToAccount(privateKey);
    this.chainId = Number(chainId);
    this.rpcUrls = new Map([[this.chainId, rpcUrl ?? null]]);
    this.connected = false;
    this.rejectNextRequest = false;
    this.listeners = new Map();
    this.log = [];
    this.typedData = []; // every EIP-712 message signed, for tests to inspect
    this.provider = {
      isStubWallet: true,
      request: (args) => this.request(args),
      on: (event, fn) => { this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]); return this.provider; },
      removeListener: (event, fn) => { this.listeners.set(event, (this.listeners.get(event) ?? []).filter((f) => f !== fn)); return this.provider; },
    };
  }

  emit(event, payload) {
    for (const fn of this.listeners.get(event) ?? []) {
      try { fn(payload); } catch (error) { console.error(error); }
    }
  }

  rpc(method, params) {
    const url = this.rpcUrls.get(this.chainId);
    if (!url) throw rpcError(-32603, `Stub wallet has no RPC for chain ${this.chainId}.`);
    return jsonRpc(url, method, params);
  }

  requireConnected() {
    if (!this.connected) throw rpcError(4100, 'The requested account has not been authorized by the user.');
  }

  consumeRejection() {
    if (!this.rejectNextRequest) return;
    this.rejectNextRequest = false;
    throw rpcError(4001, 'User rejected the request.');
  }

  async request({ method, params = [] }) {
    this.log.push(method);
    switch (method) {
      case 'eth_requestAccounts':
        this.consumeRejection();
        this.connected = true;
        return [this.account.address];
      case 'eth_accounts':
        return this.connected ? [this.account.address] : [];
      case 'eth_chainId':
        return toHex(this.chainId);
      case 'net_version':
        return String(this.chainId);
      case 'wallet_switchEthereumChain':
        return this.switchChain(Number(params[0].chainId));
      case 'wallet_addEthereumChain':
        return this.addChain(params[0]);
      case 'eth_sendTransaction':
        this.requireConnected();
        this.consumeRejection();
        return this.sendTransaction(params[0]);
      case 'personal_sign':
        this.requireConnected();
        this.consumeRejection();
        return this.account.signMessage({ message: { raw: params[0] } });
      case 'eth_signTypedData_v4':
        this.requireConnected();
        this.consumeRejection();
        return this.signTypedData(params[0], params[1]);
      default:
        if (method.startsWith('wallet_') || method === 'eth_sign' || method === 'eth_signTransaction') {
          throw rpcError(4200, `The stub wallet does not support ${method}.`);
        }
        return this.rpc(method, params);
    }
  }

  switchChain(chainId) {
    if (!this.rpcUrls.has(chainId) || !this.rpcUrls.get(chainId)) {
      throw rpcError(4902, `Unrecognized chain ID "${toHex(chainId)}". Try adding the chain using wallet_addEthereumChain first.`);
    }
    if (chainId !== this.chainId) {
      this.chainId = chainId;
      this.emit('chainChanged', toHex(chainId));
    }
    return null;
  }

  async addChain({ chainId, rpcUrls }) {
    this.consumeRejection();
    const id = Number(chainId);
    const url = rpcUrls?.[0];
    if (!url) throw rpcError(-32602, 'rpcUrls is required.');
    const served = Number(await jsonRpc(url, 'eth_chainId'));
    if (served !== id) throw rpcError(-32602, `The RPC at ${url} serves chain ${served}, not ${id}.`);
    this.rpcUrls.set(id, url);
    return this.switchChain(id); // MetaMask offers to switch right after adding
  }

  async sendTransaction(tx) {
    const from = this.account.address;
    if (tx.from && tx.from.toLowerCase() !== from.toLowerCase()) {
      throw rpcError(-32602, `The stub wallet cannot sign for ${tx.from}.`);
    }
    const call = { from, to: tx.to, data: tx.data ?? tx.input, value: tx.value ?? '0x0' };
    // Estimating first surfaces reverts with the node's revert data, as MetaMask does.
    const [nonce, gas, latest, tip, chainId] = await Promise.all([
      this.rpc('eth_getTransactionCount', [from, 'pending']),
      tx.gas ? tx.gas : this.rpc('eth_estimateGas', [call]),
      this.rpc('eth_getBlockByNumber', ['latest', false]),
      this.rpc('eth_maxPriorityFeePerGas', []),
      this.rpc('eth_chainId', []),
    ]);
    const maxPriorityFeePerGas = BigInt(tx.maxPriorityFeePerGas ?? tip);
    const maxFeePerGas = BigInt(tx.maxFeePerGas ?? BigInt(latest.baseFeePerGas) * 2n + maxPriorityFeePerGas);
    const signed = await this.account.signTransaction({
      type: 'eip1559',
      chainId: Number(chainId),
      nonce: Number(nonce),
      gas: BigInt(gas),
      maxFeePerGas,
      maxPriorityFeePerGas,
      to: call.to,
      data: call.data,
      value: BigInt(call.value),
    });
    return this.rpc('eth_sendRawTransaction', [signed]);
  }

  /** EIP-712 (eth_signTypedData_v4), with MetaMask's checks: our account, the current chain. */
  async signTypedData(address, json) {
    if (String(address).toLowerCase() !== this.account.address.toLowerCase()) {
      throw rpcError(-32602, `The stub wallet cannot sign for ${address}.`);
    }
    const typedData = typeof json === 'string' ? JSON.parse(json) : json;
    const domainChainId = typedData.domain?.chainId;
    if (domainChainId !== undefined && Number(domainChainId) !== this.chainId) {
      throw rpcError(-32603, `Provided chainId "${domainChainId}" must match the active chainId "${this.chainId}".`);
    }
    this.typedData.push(typedData);
    return this.account.signTypedData(typedData);
  }

  useKey(privateKey) {
    this.account = privateKeyToAccount(privateKey);
    if (this.connected) this.emit('accountsChanged', [this.account.address]);
    return this.account.address;
  }
}

function announce(info, provider) {
  const detail = Object.freeze({ info: Object.freeze(info), provider });
  const send = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
  window.addEventListener('eip6963:requestProvider', send);
  send();
}

function decoyProvider() {
  return {
    request: async () => { throw rpcError(4001, 'The decoy wallet rejects everything.'); },
    on() {},
    removeListener() {},
  };
}

function install(config) {
  if (window.__stubWallet || !config?.privateKey) return;
  const wallet = new StubWallet(config);
  window.__stubWallet = {
    useKey: (key) => wallet.useKey(key),
    rejectNext: () => { wallet.rejectNextRequest = true; },
    get address() { return wallet.account.address; },
    get chainId() { return wallet.chainId; },
    get log() { return [...wallet.log]; },
    get typedData() { return structuredClone(wallet.typedData); },
  };
  window.ethereum = wallet.provider;
  announce({ uuid: crypto.randomUUID(), name: 'Stub Wallet', icon: ICON, rdns: 'test.mall.stubwallet' }, wallet.provider);
  if (config.decoy) {
    announce({ uuid: crypto.randomUUID(), name: 'Decoy Wallet', icon: ICON, rdns: 'test.mall.decoy' }, decoyProvider());
  }
}

// Init scripts run in no guaranteed order: install now if the config is already there, and let
// the config script call __installStubWallet if it runs second.
window.__installStubWallet = install;
install(window.__STUB_WALLET_CONFIG__);
