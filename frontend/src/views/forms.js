/**
 * views/forms.js — small inline forms for acting on one item (an order line, a dispute, a support
 * case): labelled fields, a submit button and an error line. What people type is kept across
 * re-renders (a transaction elsewhere, a new block) and cleared once the form's action succeeded.
 */
import { h } from '../dom.js';
import { lineLabel } from '../lines.js';
import { lineTitle } from './lineCard.js';

/** A parser for required text of at most `max` characters. */
export const requiredText = (what, max) => (text) => {
  const value = String(text).trim();
  if (!value) throw new Error(`Enter the ${what}.`);
  if (value.length > max) throw new Error(`The ${what} can be at most ${max} characters.`);
  return value;
};

/** createForms() → { input, inlineForm }; one per view (it owns the view's drafts). */
export function createForms() {
  const drafts = new Map(); // field id → what was typed

  /** A text field (or `tag: 'textarea'`) whose value survives re-renders. */
  function input(id, { tag = 'input', oninput, ...props } = {}) {
    const typed = drafts.get(id) ?? props.value ?? '';
    const el = h(tag, {
      id, testid: id, autocomplete: 'off', ...props, value: tag === 'input' ? typed : null,
      oninput: (event) => { drafts.set(id, event.target.value); oninput?.(event); },
    });
    if (tag !== 'input') el.value = typed;
    return el;
  }

  /**
   * @param name     the form's name; field ids are `${name}-${field}-${key}`, the button's `${name}-${key}`
   * @param key      what it acts on (a line id, a case id)
   * @param label    the form's accessible name
   * @param fields   [[field, label, parse(text) → value, inputProps?]]
   * @param submit   the button's text
   * @param onsubmit (values) → Promise<boolean> (true: done, the drafts are cleared)
   * @param extra    nodes shown after the fields (e.g. a preview of what the values mean)
   */
  function inlineForm({ name, key, label, fields, submit, onsubmit, extra = null }) {
    const errorId = `${name}-error-${key}`;
    const error = h('p', { class: 'form-error', id: errorId, role: 'alert' });
    const fieldId = (field) => `${name}-${field}-${key}`;
    const form = h(
      'form',
      {
        class: 'line-form', novalidate: true, 'aria-label': label,
        onsubmit: async (event) => {
          event.preventDefault();
          let values;
          try {
            values = Object.fromEntries(fields.map(([field, , parse]) => [field, parse(form.querySelector(`#${fieldId(field)}`).value)]));
          } catch (problem) {
            error.textContent = problem.message;
            return;
          }
          error.textContent = '';
          if (!(await onsubmit(values))) return;
          // Done: the view has re-rendered meanwhile (with the drafts); empty what it shows too.
          for (const [field] of fields) {
            drafts.delete(fieldId(field));
            const shown = document.getElementById(fieldId(field));
            if (shown) shown.value = '';
          }
        },
      },
      fields.map(([field, text, , props]) => h('div', { class: 'field' },
        h('label', { for: fieldId(field) }, text),
        input(fieldId(field), { 'aria-describedby': errorId, ...props }))),
      extra,
      h('button', { type: 'submit', class: 'primary', testid: `${name}-${key}` }, submit),
      error,
    );
    return form;
  }

  /** inlineForm for an order line: keyed by its id, named after its product and its place in the order. */
  function lineForm(line, { submit, ...options }) {
    return inlineForm({ ...options, submit, key: line.id, label: `${submit}: ${lineTitle(line)}, ${lineLabel(line.id)}` });
  }

  return { input, inlineForm, lineForm };
}
