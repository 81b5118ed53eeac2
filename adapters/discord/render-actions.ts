// The action components under a single incident card: buttons (Acknowledge, Resolve or Reopen, Assign to me,
// Unassign), a Snooze menu and a member picker (Discord's user select). Each custom_id names the action, the
// incident and the version the card shows.
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import { SNOOZE_HOURS } from '../../src/actions/model.ts';
import type { IncidentCard } from '../../src/card/model.ts';
import { type ActionVerb, actionCustomId } from './custom-id.ts';

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

const BUTTONS: {
  verb: ActionVerb;
  when: IncidentCard['actions'][number];
  label: string;
  style: ButtonStyle;
}[] = [
  { verb: 'ack', when: 'acknowledge', label: 'Acknowledge', style: ButtonStyle.Primary },
  { verb: 'res', when: 'resolve', label: 'Resolve', style: ButtonStyle.Success },
  { verb: 'reo', when: 'reopen', label: 'Reopen', style: ButtonStyle.Danger },
  { verb: 'me', when: 'assign', label: 'Assign to me', style: ButtonStyle.Secondary },
  { verb: 'una', when: 'unassign', label: 'Unassign', style: ButtonStyle.Secondary },
];

/** First row: the buttons; then the snooze menu and the member picker, when the state offers them. */
export function actionRows(card: IncidentCard): Row[] {
  const id = (verb: ActionVerb) => actionCustomId(verb, card.organizationId, card.identifier, card.version);
  if (id('ack') === null) return [];
  const buttons = BUTTONS.filter((button) => card.actions.includes(button.when)).map((button) => ({
    type: ComponentType.Button as const,
    style: button.style as ButtonStyle.Primary,
    label: button.label,
    custom_id: id(button.verb)!,
  }));
  const rows: Row[] = [];
  if (buttons.length > 0) rows.push({ type: ComponentType.ActionRow, components: buttons });
  if (card.actions.includes('snooze')) {
    rows.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: id('snz')!,
          placeholder: 'Snooze notifications…',
          options: SNOOZE_HOURS.map((hours) => ({ label: `Snooze ${hours} h`, value: String(hours) })),
        },
      ],
    });
  }
  if (card.actions.includes('assign')) {
    rows.push({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.UserSelect, custom_id: id('asg')!, placeholder: 'Assign to…' }],
    });
  }
  return rows;
}
