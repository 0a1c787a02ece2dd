/**
 * views/actions.js — the pieces every view uses to act on the chain: a labelled action button,
 * running a line action (on the marketplace or the resolution centre) or a support case's action
 * through the wallet, and withdrawing a credit.
 */
import { h } from '../dom.js';
import { formatAmount } from '../format.js';
import { lineLabel } from '../lines.js';
import { resolutionCalls } from '../resolution.js';
import { lineTitle } from './lineCard.js';

/** A button whose accessible name also says which line it acts on. */
export function actionButton({ testid, text, line, primary = false, onclick }) {
  return h('button', { type: 'button', class: primary ? 'primary' : 'secondary', testid, onclick },
    text, h('span', { class: 'visually-hidden' }, ` (${lineTitle(line)}, ${lineLabel(line.id)})`));
}

export function createActions({ runTx, requireMall, tokens, config }) {
  /** Run `call(mall, onStep)` for `line`, narrated as "<verb> line 2 of order #12". */
  async function onLine(line, verb, call) {
    const mall = await requireMall();
    if (!mall) return false;
    return runTx({
      label: `${verb} ${lineLabel(line.id)}`,
      send: (onStep) => call(mall, onStep),
      context: { token: tokens.of(line), productName: (id) => (String(id) === String(line.productId) ? line.productName : undefined) },
    });
  }

  async function withdraw(token, credit) {
    const mall = await requireMall();
    if (!mall) return false;
    return runTx({
      label: `Withdrawing ${formatAmount(credit, token)}`,
      send: (onStep) => mall.withdraw(token.address, onStep),
      context: { token },
    });
  }

  /** onLine, with `call(center, onStep)` given the resolution centre's calls (resolution.js). */
  const inCenter = (line, verb, call) => onLine(line, verb, (mall, onStep) => call(resolutionCalls(mall, config), onStep));

  /** Run `call(center, onStep)` for a support case, narrated as "<verb> support case #3". */
  async function onCase(supportCase, verb, call) {
    const mall = await requireMall();
    if (!mall) return false;
    return runTx({
      label: `${verb} support case #${supportCase.id}`,
      send: (onStep) => call(resolutionCalls(mall, config), onStep),
      context: { token: tokens.of(supportCase) },
    });
  }

  return { onLine, inCenter, onCase, withdraw };
}
