// Validates a card with Microsoft's own object model (the `adaptivecards` package): parse
// warnings (unknown types, bad enum values) plus its property validation.
import * as AC from "adaptivecards";

export function adaptiveCardProblems(card: object): string[] {
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    if (event) problems.push(`parse: ${event.message}`);
  }
  for (const event of parsed.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  return problems;
}
