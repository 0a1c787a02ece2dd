/**
 * dom.js — build DOM nodes without innerHTML.
 *
 * Product names, descriptions and wallet names come from strangers (the chain, wallet
 * extensions), so every string goes in as a text node, never as markup.
 */

/**
 * h('button', { class: 'primary', testid: 'buy-1', onclick: fn, disabled: true }, 'Buy')
 * - `testid` sets data-testid; `on<event>` adds a listener; `true` sets an empty attribute;
 *   `false`, null and undefined skip the attribute. Children: nodes, strings, arrays, or null.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'testid') el.dataset.testid = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
  return el;
}

/** Replace everything inside `el` with `children`. */
export function mount(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
}

/**
 * Like mount(), but the element that had focus inside `el` is found again afterwards (by its
 * data-testid) and gets the focus back — with what was typed into it and the selection, if it
 * is a text field — so that re-rendering after a transaction or a wallet change neither drops
 * keyboard users nor eats what they were typing.
 */
export function remount(el, ...children) {
  const active = el.contains(document.activeElement) ? document.activeElement : null;
  const focused = active?.dataset?.testid;
  // Number inputs have a value but no selection API (selectionStart is null): keep the value.
  const typing = active && 'value' in active && active.tagName !== 'BUTTON'
    ? { value: active.value, start: active.selectionStart, end: active.selectionEnd }
    : null;
  mount(el, ...children);
  if (!focused) return;
  const again = el.querySelector(`[data-testid="${CSS.escape(focused)}"]`);
  if (!again || again.disabled) {
    el.closest('section')?.querySelector('h2')?.focus();
    return;
  }
  if (typing && 'value' in again) {
    again.value = typing.value;
    if (typeof typing.start === 'number') again.setSelectionRange?.(typing.start, typing.end);
  }
  again.focus();
}
