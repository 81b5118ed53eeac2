// People as cards name them: a member of the organization when their platform user id matches one, else the
// name the platform gave (or the user id when it gave none).
import type { Actor } from '../command/model.ts';
import type { Member, Person } from '../domain.ts';

export function memberFor(
  members: readonly Member[],
  platform: Actor['platform'],
  userId: string,
): Member | null {
  return (
    members.find((member) =>
      platform === 'discord'
        ? member.discordUserId === userId
        : platform === 'teams'
          ? member.teamsAadObjectId === userId
          : member.id === userId,
    ) ?? null
  );
}

export function personOf(
  members: readonly Member[],
  platform: Actor['platform'],
  userId: string,
  name: string | null,
): Person {
  const member = memberFor(members, platform, userId);
  if (member) return { platform, userId, name: member.name, memberId: member.id };
  return { platform, userId, name: (name?.trim() || userId).slice(0, 200) };
}

/** A member picked from the card's list, as the platform of the person picking knows them. */
export function personOfMember(member: Member, platform: Actor['platform']): Person {
  const userId =
    (platform === 'discord' ? member.discordUserId : platform === 'teams' ? member.teamsAadObjectId : null) ??
    member.id;
  return { platform, userId, name: member.name, memberId: member.id };
}
