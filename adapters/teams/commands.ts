// The compose-extension command ids the Teams manifest declares (manifest/teams/manifest.json): Teams sends
// them back as `commandId`, so the bot answers only the commands it published.
export const SEARCH_COMMAND_ID = 'searchIncidents';

/** Zero-install link unfurling; our manifest does not opt in (`supportsAnonymizedPayloads`). */
export const ANONYMOUS_QUERY_LINK = 'composeExtension/anonymousQueryLink';
