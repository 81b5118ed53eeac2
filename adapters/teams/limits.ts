// Teams' numbers, in one place: card size, invoke deadline, paging and refresh limits.

/** Teams rejects a message (or invoke answer) whose card payload exceeds 28 KB. */
export const MAX_CARD_BYTES = 28 * 1024;

/**
 * Teams gives an invoke (unfurl, search, message action, card refresh) 5 s before it shows an error.
 * We stop waiting for metrics well before that so the answer, a degraded card at worst, still arrives.
 */
export const INVOKE_DEADLINE_MS = 3_500;

/** An automatic refresh runs every time someone looks at the card; nobody waits on it, so it gets less. */
export const AUTOMATIC_REFRESH_DEADLINE_MS = 2_000;

/** Teams runs `refresh` automatically for at most 60 listed users. */
export const MAX_REFRESH_USER_IDS = 60;

/** Search results per page Teams asks for (queryOptions.count) are capped at the command model's limit. */
export const MAX_SEARCH_PAGE = 25;

/** Inbound activities are small JSON documents; anything bigger is not from Teams. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** Text caps that keep every card well under MAX_CARD_BYTES whatever the dataset holds. */
export const TEXT_LIMITS = {
  title: 200,
  statusText: 400,
  factTitle: 60,
  factValue: 300,
  facts: 12,
  listItems: 25,
  helpEntries: 12,
} as const;

/** Link unfurl results are cached by Teams; the minimum duration keeps the pasted value close to live. */
export const UNFURL_CACHE_SECONDS = 60;
