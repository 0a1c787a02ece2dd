/**
 * checkout.js — pay for one cart (all priced in one token) in the fewest steps the token allows:
 *
 *  - ETH: `checkout(cart, 0x0, total)` with the total as value — one transaction;
 *  - an ERC-20 the marketplace may already spend (allowance ≥ total): `checkout` — one;
 *  - an EIP-2612 token (`permit: true` in /api/config): the wallet signs a permit
 *    (eth_signTypedData_v4: a signature, no gas), then `checkoutWithPermit` — one transaction;
 *  - any other ERC-20: `approve(marketplace, total)`, then `checkout` — two.
 *
 * `total` must be the cart's exact price: the contract reverts with MarketWrongPayment if a
 * price changed since the page showed it, rather than charge something else.
 */
import { splitSignature } from './contract.js';
import { formatAmount } from './format.js';

// EIP-2612's typed-data struct (part of the standard, not of any one token's ABI).
const PERMIT_TYPES = {
  Permit: [
    { name: 'owner', type: 'address' },
    { name: 'spender', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
};
const PERMIT_LIFETIME_S = 20 * 60;

/** What checking out in `token` will ask of the buyer, for the cart's hint. */
export function checkoutPlan(token) {
  if (token.isEth) return 'One transaction.';
  if (token.permit) return 'One transaction: first your wallet asks you to sign a spending permit (free), then to confirm the purchase.';
  return 'Two transactions: allow the mall to take the amount, then confirm the purchase.';
}

async function permitDomain(chainReader, token, chainId) {
  // ERC-5267 tokens say exactly which domain they check; the rest follow EIP-2612's usual one.
  if (token.abi.some((item) => item.name === 'eip712Domain')) {
    const [, name, version, domainChainId, verifyingContract] = await chainReader.read(token.address, token.abi, 'eip712Domain');
    return { name, version, chainId: Number(domainChainId), verifyingContract };
  }
  const name = await chainReader.read(token.address, token.abi, 'name');
  return { name, version: '1', chainId, verifyingContract: token.address };
}

async function signPermit({ mall, chainReader, config, token, value, onStep }) {
  const spender = config.contracts.Marketplace.address;
  const [domain, nonce, now] = await Promise.all([
    permitDomain(chainReader, token, config.chainId),
    chainReader.read(token.address, token.abi, 'nonces', [mall.account]),
    chainReader.now(), // block time: the token checks the deadline against it
  ]);
  const deadline = BigInt(now + PERMIT_LIFETIME_S);
  onStep({ step: 'permit', amount: formatAmount(value, token) });
  const signature = await mall.signTypedData({
    domain,
    types: PERMIT_TYPES,
    primaryType: 'Permit',
    message: { owner: mall.account, spender, value, nonce, deadline },
  });
  return { deadline, signature };
}

/**
 * Check out `items` ([{ productId, quantity }]) priced in `token` for exactly `total`.
 * Resolves with the receipt of the checkout transaction.
 */
export async function checkout({ mall, chainReader, config, token, items, total, onStep }) {
  const cart = items.map(({ productId, quantity }) => ({ productId: BigInt(productId), quantity }));
  const market = config.contracts.Marketplace.address;
  if (token.isEth) {
    return mall.send(mall.market('checkout', [cart, token.address, total], { value: total }), onStep);
  }
  const allowance = await chainReader.read(token.address, token.abi, 'allowance', [mall.account, market]);
  if (allowance >= total) return mall.send(mall.market('checkout', [cart, token.address, total]), onStep);

  if (token.permit) {
    const { deadline, signature } = await signPermit({ mall, chainReader, config, token, value: total, onStep });
    const { v, r, s } = splitSignature(signature);
    return mall.send(mall.market('checkoutWithPermit', [cart, token.address, total, deadline, v, r, s]), onStep);
  }
  await mall.send(
    { address: token.address, abi: token.abi, functionName: 'approve', args: [market, total] },
    onStep,
    `step 1 of 2, allowing the mall to take ${formatAmount(total, token)}`,
  );
  return mall.send(mall.market('checkout', [cart, token.address, total]), onStep, 'step 2 of 2, paying');
}
