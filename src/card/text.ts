// Renders a card as plain text for the terminal (`incident-cards card --platform text`).
import type { IncidentCard } from './model.ts';

export function renderCardText(card: IncidentCard): string {
  const width = Math.max(...card.fields.map((field) => field.label.length));
  return [
    `${card.title}  (#${card.identifier}, ${card.organizationId})`,
    card.statusText,
    '',
    ...card.fields.map((field) => `${field.label.padEnd(width)}  ${field.value}`),
    '',
    card.link,
    ...(card.chartUrl ? [`chart: ${card.chartUrl}`] : []),
  ].join('\n');
}
