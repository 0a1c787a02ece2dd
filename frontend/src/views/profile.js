/**
 * views/profile.js — #profile: the connected account's profile (display name, avatar URI, X25519
 * encryption key) and role badges. "Create my encryption key" asks the wallet for a signature of a
 * fixed message, derives the key pair from it in this page (crypto/encryptionKey.js) and publishes
 * only the public key with setProfile; "Check my key" tells whether this wallet still recreates the
 * published key. The secret key is never stored: it is derived again whenever an address is opened.
 */
import { h, remount } from '../dom.js';
import { derivedKeyMatches } from '../crypto/encryptionKey.js';
import { shortHash } from '../format.js';
import { badge, forgetProfiles } from '../profiles.js';
import { MAX_AVATAR_URI_BYTES, MAX_DISPLAY_NAME_BYTES, encryptionKeyOf, myKeyPair, traceRunner, utf8Length } from '../trace.js';
import { safeLink } from './provenance.js';

const NO_KEY = /^0x0{64}$/i;
const SHOWABLE_AVATAR = /^(https:|data:image\/(png|jpeg|gif|webp);)/i;

function limited(text, max, what) {
  const value = String(text ?? '').trim();
  if (utf8Length(value) > max) throw new Error(`The ${what} can be at most ${max} bytes.`);
  return value;
}

export function createProfileView({ root, api, config, getSession, runTx, requireMall, status }) {
  const run = traceRunner({ runTx, requireMall, config });
  let generation = 0;
  let keyCheck = null; // { matches, message } after "Check my key", for the account it was made for
  const typed = { name: null, avatar: null }; // what was typed, kept across re-renders

  /** The wallet's key pair, asking for the signature with a word in the status region. */
  async function derive(mall) {
    status.show('signing', 'Sign the key message in your wallet (a signature, not a transaction): it recreates your encryption key.');
    try {
      return await myKeyPair(mall, config);
    } catch (error) {
      status.show('failed', error?.code === 4001 || /reject/i.test(error?.message ?? '')
        ? 'You declined to sign: no key was made.' : `No key was made: ${error.message}`);
      return null;
    }
  }

  async function save({ newKey }) {
    const error = root.querySelector('#profile-error');
    let name;
    let avatar;
    try {
      name = limited(root.querySelector('#profile-name').value, MAX_DISPLAY_NAME_BYTES, 'display name');
      avatar = limited(root.querySelector('#profile-avatar').value, MAX_AVATAR_URI_BYTES, 'avatar URI');
    } catch (problem) {
      error.textContent = problem.message;
      return;
    }
    error.textContent = '';
    const mall = await requireMall();
    if (!mall) return;
    let key;
    if (newKey) {
      const pair = await derive(mall);
      if (!pair) return;
      key = pair.publicKeyHex;
      pair.secretKey.fill(0); // only the public key is published; the secret is derived again when needed
    } else {
      key = await encryptionKeyOf(getSession().wallet.provider, config, mall.account);
      if (NO_KEY.test(key)) {
        error.textContent = 'You have no encryption key yet: create one.';
        return;
      }
    }
    const done = await run(newKey ? 'Publishing your encryption key and profile' : 'Saving your profile',
      (calls, onStep) => calls.setProfile(name, avatar, key, onStep));
    if (done) {
      typed.name = null;
      typed.avatar = null;
      keyCheck = null;
      forgetProfiles();
      await render();
    }
  }

  async function check() {
    const mall = await requireMall();
    if (!mall) return;
    const pair = await derive(mall);
    if (!pair) return;
    const published = await encryptionKeyOf(getSession().wallet.provider, config, mall.account);
    const matches = derivedKeyMatches(pair, published);
    pair.secretKey.fill(0);
    keyCheck = {
      account: mall.account,
      matches,
      message: matches
        ? 'This wallet recreates your published key: you can open the addresses buyers seal to you.'
        : 'This wallet gives a different key from the one your profile publishes, so it cannot open addresses sealed to that key. '
          + 'Publishing this wallet’s key lets buyers seal to it from now on; addresses sealed to the old key stay closed to it.',
    };
    status.show('done', matches ? 'Your encryption key checks out.' : 'Your wallet gives another key than the published one.');
    await render();
  }

  function field(id, label, value, key, hint) {
    const input = h('input', { id, testid: id, autocomplete: 'off', oninput: (event) => { typed[key] = event.target.value; } });
    input.value = typed[key] ?? value ?? '';
    return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('p', { class: 'hint' }, hint) : null);
  }

  function avatar(profile) {
    const uri = profile.avatarUri;
    if (!uri) return null;
    return SHOWABLE_AVATAR.test(uri)
      ? h('img', { class: 'avatar', src: uri, alt: '', width: 64, height: 64, referrerpolicy: 'no-referrer', testid: 'profile-avatar-image' })
      : h('p', { class: 'hint' }, 'Avatar: ', safeLink(uri));
  }

  async function render() {
    const mine = ++generation;
    const { account } = getSession();
    if (!account) {
      remount(root, h('p', { class: 'empty' }, 'Connect your wallet to set your display name and create your encryption key.'));
      return;
    }
    let profile;
    try {
      profile = await api.profile(account);
    } catch (error) {
      if (mine === generation) remount(root, h('p', { class: 'notice', role: 'alert' }, `Couldn’t load your profile: ${error.message}`));
      return;
    }
    if (mine !== generation) return;
    if (keyCheck && keyCheck.account !== account) keyCheck = null;
    const hasKey = Boolean(profile.encryptionKey) && !NO_KEY.test(profile.encryptionKey);
    remount(
      root,
      h('div', { class: 'card profile', testid: 'profile-card' },
        avatar(profile),
        h('h3', { testid: 'profile-display-name' }, profile.displayName || 'No display name yet'),
        h('p', { class: 'badges', testid: 'profile-badges' }, profile.badges.length ? profile.badges.map(badge) : h('span', { class: 'hint' }, 'No roles yet')),
        h('p', { testid: 'profile-key-status', 'data-has-key': String(hasKey) }, hasKey
          ? ['Your encryption key is published: ', h('code', { title: profile.encryptionKey }, shortHash(profile.encryptionKey)),
            '. Buyers seal their shipping address to it.']
          : 'No encryption key yet: buyers cannot send you a sealed shipping address until you create one.')),
      h('form', {
        class: 'profile-form', novalidate: true, 'aria-label': 'Your profile',
        onsubmit: (event) => { event.preventDefault(); save({ newKey: !hasKey }); },
      },
      field('profile-name', 'Display name', profile.displayName, 'name', `At most ${MAX_DISPLAY_NAME_BYTES} bytes; shown next to your address.`),
      field('profile-avatar', 'Avatar URI', profile.avatarUri, 'avatar', 'https://… or ipfs://… (optional)'),
      h('div', { class: 'actions' },
        hasKey
          ? [h('button', { type: 'submit', class: 'primary', testid: 'profile-save' }, 'Save profile'),
            h('button', { type: 'button', class: 'secondary', testid: 'profile-check-key', onclick: check }, 'Check my encryption key')]
          : h('button', { type: 'submit', class: 'primary', testid: 'profile-create-key' }, 'Create my encryption key and save'),
        keyCheck && !keyCheck.matches
          ? h('button', { type: 'button', class: 'secondary', testid: 'profile-replace-key', onclick: () => save({ newKey: true }) },
            'Publish this wallet’s key')
          : null),
      h('p', { class: 'form-error', id: 'profile-error', role: 'alert' })),
      keyCheck ? h('p', { class: keyCheck.matches ? 'ok' : 'notice-inline', testid: 'profile-key-check', role: 'status' }, keyCheck.message) : null,
      h('details', { class: 'key-help' },
        h('summary', {}, 'How your encryption key is kept'),
        h('ul', {},
          h('li', {}, 'Your wallet signs a fixed message for the mall; this page turns the signature into your key. Nothing is stored: '
            + 'the page asks for the same signature whenever it opens an address, and forgets the key right after.'),
          h('li', {}, 'Only the public half goes on chain, in your profile. Buyers’ browsers read it from the chain through their own wallet.'),
          h('li', {}, 'Sign that message only on the mall’s own page: whoever holds the signature can read the addresses sealed to you.'),
          h('li', {}, 'Most wallets sign the same message the same way on every device. If yours does not (some smart-contract or MPC '
            + 'wallets), “Check my encryption key” says so.'))),
    );
  }

  return { render };
}
