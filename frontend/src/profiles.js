/**
 * profiles.js — who an address is: its display name and its role badges (seller, arbiter,
 * support) from GET /api/profiles/{address}, shown next to addresses across the app.
 *
 * `addressTag(address)` returns an element at once (the short address) and fills in the name and
 * badges when the profile arrives; profiles are cached for a short while and forgotten after this
 * page changes one. A display name is a stranger's text: it goes in as text, never as markup.
 */
import { h, mount } from './dom.js';
import { shortAddress } from './format.js';

const FRESH_MS = 20_000;
const BADGE_TITLES = {
  seller: 'Sells in the mall',
  arbiter: 'A registered arbiter: rules on escalated disputes',
  support: 'Mall customer support',
};

let api = null;
const cache = new Map(); // lower-case address → { at, profile: Promise }

/** Where profiles come from (main.js calls it once with the API client). */
export function useProfiles(source) {
  api = source;
}

/** The profile of `address` (cached), or null when it cannot be loaded. */
export function profileOf(address) {
  const key = String(address).toLowerCase();
  const cached = cache.get(key);
  if (cached && Date.now() - cached.at < FRESH_MS) return cached.profile;
  const profile = api ? api.profile(address).catch(() => null) : Promise.resolve(null);
  cache.set(key, { at: Date.now(), profile });
  return profile;
}

/** Forget every cached profile (after this page set one, or a transaction made someone a seller). */
export function forgetProfiles() {
  cache.clear();
}

export function badge(name) {
  return h('span', { class: `role-badge role-${name}`, title: BADGE_TITLES[name] ?? null, 'data-badge': name }, name);
}

/** The display name (or short address) and badges of a loaded profile. */
export function profileLabel(address, profile) {
  const name = profile?.displayName?.trim();
  return [
    h('span', { class: name ? 'who-name' : 'who-address' }, name || shortAddress(address)),
    name ? h('span', { class: 'visually-hidden' }, ` (${shortAddress(address)})`) : null,
    (profile?.badges ?? []).map(badge),
  ];
}

/** An address as a person reads it: short address now, name and badges once known. */
export function addressTag(address, { testid = null } = {}) {
  const el = h('span', { class: 'who', title: address, 'data-address': address, testid }, shortAddress(address));
  if (!address) return el;
  profileOf(address).then((profile) => {
    if (profile) mount(el, profileLabel(address, profile));
  });
  return el;
}
