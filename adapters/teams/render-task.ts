// The message action's task module: the incident references found in a message, each with a tick box,
// and the button that inserts their cards.
import type { IncidentRef } from '../../src/command/model.ts';
import { type AdaptiveCard, adaptiveCard, textBlock } from './adaptive-card.ts';
import { INSERT_VERB } from './card-actions.ts';
import { refLabel } from './words.ts';

/** Input ids are positional so the submitted data maps straight back onto `refs`. */
export function refInputId(index: number): string {
  return `ref-${index}`;
}

export function pickRefsCard(refs: readonly IncidentRef[]): AdaptiveCard {
  return adaptiveCard(
    '1.5',
    [
      textBlock(
        `Found ${refs.length} incident ${refs.length === 1 ? 'reference' : 'references'} in this message.`,
        {
          weight: 'Bolder',
        },
      ),
      ...refs.map((ref, index) => ({
        type: 'Input.Toggle',
        id: refInputId(index),
        title: refLabel(ref),
        value: 'true',
        valueOn: 'true',
        valueOff: 'false',
      })),
      textBlock("The cards show each alert's current value and can be refreshed.", {
        size: 'Small',
        isSubtle: true,
      }),
    ],
    { actions: [{ type: 'Action.Submit', title: 'Insert cards', data: { verb: INSERT_VERB, refs } }] },
  );
}
