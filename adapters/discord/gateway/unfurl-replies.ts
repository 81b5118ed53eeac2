// Which reply answers which message: the bot's reply id and the incidents it shows, so that an edit of the
// message edits the reply and a deletion deletes it. In memory and bounded (the oldest entries go first);
// after a restart an edit of an older message is answered as a new message would be.
import type { IncidentRef } from '../../../src/command/model.ts';

const MAX_REMEMBERED = 10_000;

export type UnfurlReplyState =
  /** The reply on screen and the incidents it shows (in order), with the count of links beyond the ten. */
  | { kind: 'replied'; channelId: string; replyId: string; refs: IncidentRef[]; more: number }
  /** Someone removed the reply: edits of the message must not bring it back. */
  | { kind: 'dismissed' };

export type UnfurlReplies = {
  get(messageId: string): UnfurlReplyState | undefined;
  set(messageId: string, state: UnfurlReplyState): void;
  delete(messageId: string): void;
  readonly size: number;
};

export function createUnfurlReplies(max = MAX_REMEMBERED): UnfurlReplies {
  const states = new Map<string, UnfurlReplyState>();
  return {
    get: (messageId) => states.get(messageId),
    set(messageId, state) {
      states.delete(messageId);
      states.set(messageId, state);
      if (states.size > max) states.delete(states.keys().next().value!);
    },
    delete: (messageId) => void states.delete(messageId),
    get size() {
      return states.size;
    },
  };
}

/** Same incidents in the same order: nothing to edit (Discord also sends an update when it adds link embeds). */
export function sameRefs(a: readonly IncidentRef[], b: readonly IncidentRef[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (ref, index) =>
        ref.identifier === b[index]!.identifier && ref.organizationId === b[index]!.organizationId,
    )
  );
}
