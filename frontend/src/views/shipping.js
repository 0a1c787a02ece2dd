/**
 * views/shipping.js — sealed shipping details in the browser.
 *
 * At checkout: one address field per seller of the cart group. Before anything is paid, each address
 * is sealed (NaCl sealed box, crypto/sealedBox.js) to the seller's key, read from the chain through
 * the buyer's own wallet; a seller with no key or a malformed one is refused with the reason, and the
 * buyer may still buy from them only by ticking "buy without sending an address". Right after the
 * checkout is confirmed, one envelope per seller goes to the first line of that seller in the order.
 *
 * On a line's card: the seller's "Show shipping address" asks the wallet for the key signature,
 * derives the secret key in memory, opens the envelope, shows the address and drops the key; the
 * buyer can send (or correct) the address to the seller before it ships, and share it with the
 * arbiter once a dispute is escalated and an arbiter drawn.
 *
 * Nothing decrypted, and nothing typed into these fields, leaves the page: no storage, no request,
 * no log. Only envelopes go out, in postShippingDetails transactions.
 */
import { parseEventLogs } from 'viem';
import { EncryptionKeyError, SealedBoxError, decryptWith, encryptFor } from '../crypto/sealedBox.js';
import { derivedKeyMatches } from '../crypto/encryptionKey.js';
import { h, mount } from '../dom.js';
import { formatTimestamp, shortAddress } from '../format.js';
import { orderIdOf } from '../lines.js';
import { addressTag, profileOf } from '../profiles.js';
import { DISPUTE_STATUSES } from '../resolution.js';
import { MAX_ADDRESS_BYTES, encryptionKeyOf, myKeyPair, traceCalls, utf8Length, walletReader } from '../trace.js';
import { actionButton } from './actions.js';

const SEALABLE_BEFORE = new Set(['Paid', 'Accepted']); // the seller still has to ship

/** Check a typed address (UTF-8, at most 976 bytes once sealed into 1,024) and return it trimmed. */
function addressText(text, whose) {
  const address = String(text ?? '').trim();
  if (!address) throw new Error(`Enter the shipping address for ${whose}.`);
  if (utf8Length(address) > MAX_ADDRESS_BYTES) {
    throw new Error(`The address for ${whose} is too long: at most ${MAX_ADDRESS_BYTES} bytes of text can be sealed.`);
  }
  return address;
}

/** Seal `address` to `recipient`'s published key (read through the wallet); EncryptionKeyError says why not. */
async function sealFor(provider, config, recipient, address) {
  const key = await encryptionKeyOf(provider, config, recipient);
  // The contract answers 0 for "no key": say "has not published one" rather than "an empty key".
  return encryptFor(/^0x0{64}$/i.test(key) ? null : key, address); // validates first: nothing is sealed to a bad key
}

const nameOf = async (address) => (await profileOf(address))?.displayName?.trim() || shortAddress(address);

// ------------------------------------------------------------------ checkout

/**
 * createCheckoutShipping({ getSession, config, runTx }) → { section(group), prepare(group), send(receipt, plan) }
 * for views/cart.js: the address fields of a cart group, sealing them before the checkout, and posting
 * the envelopes after it.
 */
export function createCheckoutShipping({ getSession, config, runTx }) {
  // Per cart group and seller ("mUSD:0x…"): one checkout pays in one token, so each group asks for itself.
  const typed = new Map(); // what was typed (this page's memory only)
  const skipped = new Set(); // buying from that seller without sending an address

  const sellersOf = (group) => [...new Set(group.entries.filter((e) => !e.problem).map((e) => e.product.seller))];

  function sellerFields(symbol, seller) {
    const key = `${symbol}:${seller}`;
    const id = `ship-address-${symbol}-${seller}`;
    const error = h('p', { class: 'form-error', id: `ship-error-${symbol}-${seller}`, role: 'alert', testid: `ship-error-${symbol}-${seller}` });
    const area = h('textarea', {
      id, testid: id, rows: 4, autocomplete: 'shipping street-address', 'aria-describedby': error.id,
      oninput: (event) => typed.set(key, event.target.value),
    });
    area.value = typed.get(key) ?? '';
    const skip = h('input', {
      type: 'checkbox', id: `ship-skip-${symbol}-${seller}`, testid: `ship-skip-${symbol}-${seller}`, checked: skipped.has(key),
      onchange: (event) => (event.target.checked ? skipped.add(key) : skipped.delete(key)),
    });
    return h('fieldset', { class: 'ship-to', testid: `ship-to-${symbol}-${seller}` },
      h('legend', {}, 'Shipping address for ', addressTag(seller)),
      h('label', { for: id }, 'Address (name, street, town, postcode, phone)'), area,
      h('label', { class: 'check' }, skip, ' Buy without sending this seller an address'),
      error);
  }

  /** The group's shipping fields, one per seller. */
  function section(group) {
    const sellers = sellersOf(group);
    if (!sellers.length) return null;
    const { symbol } = group.token;
    return h('div', { class: 'shipping', testid: `shipping-${symbol}` },
      h('h4', {}, 'Where should it go?'),
      h('p', { class: 'hint' },
        'Your address is sealed in this browser to each seller’s published encryption key: only that seller can read it. ',
        'It never reaches the mall’s servers or the chain as text.'),
      sellers.map((seller) => sellerFields(symbol, seller)));
  }

  /**
   * Seal each seller's address before paying. Returns the plan { sealed: Map(seller → envelope), keys }
   * or throws an Error whose message says, for the first seller it cannot serve, why (shown there too).
   */
  async function prepare(group, root) {
    const { wallet } = getSession();
    const { symbol } = group.token;
    const sealed = new Map();
    for (const seller of sellersOf(group)) {
      const key = `${symbol}:${seller}`;
      const error = root.querySelector(`[data-testid="ship-error-${symbol}-${seller}"]`);
      const show = (text) => { if (error) error.textContent = text; };
      show('');
      if (skipped.has(key)) continue;
      const whose = await nameOf(seller);
      try {
        sealed.set(seller, await sealFor(wallet.provider, config, seller, addressText(typed.get(key), whose)));
      } catch (problem) {
        const why = problem instanceof EncryptionKeyError
          ? `${whose}: ${problem.message} To buy anyway, tick “Buy without sending this seller an address”.`
          : problem.message;
        show(why);
        throw new Error(why);
      }
    }
    return { sealed, keys: sellersOf(group).map((seller) => `${symbol}:${seller}`) };
  }

  /** After the checkout: one envelope per seller, to the first of their lines in the order. */
  async function send(receipt, plan, entries) {
    for (const key of plan.keys) typed.delete(key); // paid and sealed: the typed text is no longer kept
    if (!plan.sealed.size) return true;
    const placed = parseEventLogs({ abi: config.contracts.Marketplace.abi, eventName: 'LinePlaced', logs: receipt.logs });
    const sellerOf = new Map(entries.map((e) => [String(e.productId), e.product.seller]));
    const firstLine = new Map();
    for (const { args } of placed) {
      const seller = sellerOf.get(String(args.productId));
      if (seller && (!firstLine.has(seller) || args.lineId < firstLine.get(seller))) firstLine.set(seller, args.lineId);
    }
    const posts = [...plan.sealed].filter(([seller]) => firstLine.has(seller));
    const { mall } = getSession();
    const done = await runTx({
      label: `Sending your sealed address to ${posts.length === 1 ? 'the seller' : `${posts.length} sellers`}`,
      send: async (onStep) => {
        let last;
        for (const [index, [seller, envelope]] of posts.entries()) {
          const part = posts.length > 1 ? `${index + 1} of ${posts.length}: ${shortAddress(seller)}` : null;
          last = await traceCalls(mall, config).postShippingDetails(firstLine.get(seller), seller, envelope, onStep, part);
        }
        return last;
      },
    });
    return done;
  }

  return { section, prepare, send };
}

// ------------------------------------------------------------------ on a line's card

/**
 * createShippingPanel({ api, config, getSession, requireMall, act, forms }).forLine(line, context)
 * → the line card's shipping part: for its seller (or the dispute's arbiter) "Show shipping address";
 * for the buyer, sending the address before shipping and sharing it with the arbiter of an escalated
 * dispute. `context` { role ('buyer' | 'seller' | 'arbiter'), addressLine (where the envelope is: the
 * order's first line with this seller; the disputed line for its arbiter), sent (envelopes to the
 * seller, buyer only), arbiter (the drawn arbiter's address, buyer only) }. `act` is needed by the buyer's forms only.
 */
export function createShippingPanel({ api, config, getSession, requireMall, act, forms }) {
  const provider = () => getSession().wallet.provider;
  const opened = new Map(); // lineId → the address as opened (this page's memory only), or a message

  async function reveal(line, addressLine, out) {
    mount(out, h('p', { class: 'hint' }, 'Sign the key message in your wallet to open the address…'));
    const mall = await requireMall();
    if (!mall) {
      mount(out);
      return;
    }
    let keyPair;
    try {
      keyPair = await myKeyPair(mall, config);
      const published = await encryptionKeyOf(provider(), config, mall.account).catch(() => null);
      const { items } = await api.lineEnvelopes(addressLine, { recipient: mall.account, limit: 100 });
      const text = openNewest(items, keyPair);
      opened.set(line.id, text == null
        ? { message: items.length
          ? `None of the ${items.length} sealed address${items.length === 1 ? '' : 'es'} for this order opens with this wallet’s key${published && !derivedKeyMatches(keyPair, published) ? ': your profile publishes another key' : ''}.`
          : 'The buyer has not sent a shipping address for this order.' }
        : { text });
    } catch (problem) {
      opened.set(line.id, { message: problem?.code === 4001 ? 'You declined to sign: the address stays sealed.' : `The address could not be opened: ${problem.message}` });
    } finally {
      keyPair?.secretKey.fill(0); // drop the secret key: it is derived again when needed
    }
    // The card may have been drawn again while the wallet asked: show it in the current one.
    showOpened(line, document.getElementById(out.id) ?? out);
  }

  function openNewest(envelopes, keyPair) {
    for (const envelope of [...envelopes].reverse()) {
      try {
        return decryptWith(keyPair.secretKey, envelope.ciphertext);
      } catch (problem) {
        if (!(problem instanceof SealedBoxError)) throw problem;
      }
    }
    return null;
  }

  function showOpened(line, out) {
    const shown = opened.get(line.id);
    if (!shown) return mount(out);
    return mount(out, shown.text != null
      ? [h('pre', { class: 'shipping-address', testid: `address-${line.id}` }, shown.text),
        h('button', { type: 'button', class: 'secondary small', testid: `hide-address-${line.id}`,
          onclick: () => { opened.delete(line.id); mount(out); } }, 'Hide')]
      : h('p', { class: 'notice-inline', testid: `address-${line.id}`, role: 'status' }, shown.message));
  }

  function recipientPart(line, { addressLine }) {
    const out = h('div', { class: 'opened-address', id: `opened-address-${line.id}`, 'aria-live': 'polite' });
    showOpened(line, out);
    return [
      actionButton({ testid: `show-address-${line.id}`, text: 'Show shipping address', line,
        onclick: () => reveal(line, addressLine, out) }),
      out,
    ];
  }

  /** A form that seals what the buyer types to `recipient` and posts it for `lineId`. */
  function sealForm(line, { name, recipient, whom, submit, lineId = line.id }) {
    return forms.lineForm(line, {
      name,
      fields: [['address', 'Your shipping address', (text) => addressText(text, whom), { tag: 'textarea', rows: 3 }]],
      submit,
      onsubmit: async ({ address }) => {
        const mall = await requireMall();
        if (!mall) return false;
        let envelope;
        try {
          envelope = await sealFor(provider(), config, recipient, address);
        } catch (problem) {
          const error = document.getElementById(`${name}-error-${line.id}`);
          if (error) error.textContent = `${problem.message}`;
          return false;
        }
        return act(line, `Sending your sealed address to ${whom} for`, (calls, onStep) =>
          calls.postShippingDetails(lineId, recipient, envelope, onStep));
      },
    });
  }

  function buyerPart(line, { addressLine, sent, arbiter }) {
    const parts = [];
    if (SEALABLE_BEFORE.has(line.status) && String(addressLine) === String(line.id)) {
      parts.push(sent?.length
        ? h('p', { class: 'hint', testid: `address-sent-${line.id}` },
          `You sent the seller a sealed address on ${formatTimestamp(sent[sent.length - 1].timestamp)}.`)
        : h('p', { class: 'hint', testid: `address-sent-${line.id}` }, 'The seller has no shipping address from you yet.'));
      parts.push(h('details', { class: 'send-address' },
        h('summary', { testid: `send-address-open-${line.id}` }, sent?.length ? 'Send a corrected address' : 'Send your address to the seller'),
        sealForm(line, { name: 'send-address', recipient: line.seller, whom: 'the seller', submit: 'Seal and send' })));
    }
    if (arbiter) {
      parts.push(h('div', { class: 'share-address', testid: `share-address-panel-${line.id}` },
        h('p', {}, 'The arbiter ', addressTag(arbiter), ' may need your address to judge the delivery. It is sealed to their key.'),
        sealForm(line, { name: 'share-address', recipient: arbiter, whom: 'the arbiter', submit: 'Share address with the arbiter' })));
    }
    return parts;
  }

  function forLine(line, context) {
    const parts = context.role === 'buyer' ? buyerPart(line, context) : recipientPart(line, context);
    return parts.length ? h('section', { class: 'line-shipping', 'aria-label': 'Shipping address' }, parts) : null;
  }

  return { forLine };
}

/** For each line, the first line (lowest id) of the same order sold by the same seller: where its envelope goes. */
export function addressLines(lines) {
  const first = new Map();
  for (const line of lines) {
    const key = `${orderIdOf(line.id)}:${line.seller.toLowerCase()}`;
    if (!first.has(key) || BigInt(line.id) < BigInt(first.get(key))) first.set(key, line.id);
  }
  return new Map(lines.map((line) => [line.id, first.get(`${orderIdOf(line.id)}:${line.seller.toLowerCase()}`)]));
}

/** The drawn arbiter of an escalated dispute on `line`: from the index, else from the chain through the wallet. */
export async function arbiterOf(line, detail, { config, provider }) {
  const dispute = detail?.dispute;
  if (dispute) return dispute.status === 'Escalated' ? dispute.arbiter ?? null : null;
  const center = config.contracts.ResolutionCenter;
  if (line.status !== 'Disputed' || !center || !provider) return null;
  try {
    const found = await walletReader(provider)(center, 'getDispute', [BigInt(line.id)]);
    const escalated = DISPUTE_STATUSES[Number(found?.status)] === 'Escalated';
    return escalated && found.arbiter && !/^0x0{40}$/i.test(found.arbiter) ? found.arbiter : null;
  } catch {
    return null;
  }
}
