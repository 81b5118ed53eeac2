// Teams sends the same channel token with every request until it expires (about an hour), and botbuilder
// re-verifies its RSA signature and claims each time. A token that passed for a given channel and serviceUrl
// passes again until its `exp`, so the verdict is remembered for exactly that combination and no longer.
// Only successes are remembered; a refused token is re-checked (and refused) every time.
import type { Activity } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import { DelegatingAuthentication } from './auth-delegate.ts';
import { compactKey } from '../../src/bounded-cache.ts';
import type { BotFrameworkAuthentication } from 'botframework-connector';

/** Distinct live tokens are few (one per channel service instance); the bound only guards memory. */
const MAX_REMEMBERED = 1_024;

type Verdict = { result: AuthenticateRequestResult; expiresAt: number };

export function rememberValidTokens(
  inner: BotFrameworkAuthentication,
  now: () => number = Date.now,
): BotFrameworkAuthentication {
  return new RememberedTokens(inner, now);
}

class RememberedTokens extends DelegatingAuthentication {
  private readonly verdicts = new Map<string, Verdict>();

  constructor(
    inner: BotFrameworkAuthentication,
    private readonly now: () => number,
  ) {
    super(inner);
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    if (!authHeader) return this.inner.authenticateRequest(activity, authHeader);
    // Tokens are kilobytes long: the key is their hash, so the bound on entries bounds the bytes too.
    const key = compactKey(`${authHeader}\n${activity.channelId ?? ''}\n${activity.serviceUrl ?? ''}`);
    const known = this.verdicts.get(key);
    if (known && known.expiresAt > this.now()) return known.result;
    if (known) this.verdicts.delete(key);
    const result = await this.inner.authenticateRequest(activity, authHeader);
    const exp = Number(result.claimsIdentity.getClaimValue('exp'));
    if (Number.isFinite(exp) && exp * 1000 > this.now()) {
      if (this.verdicts.size >= MAX_REMEMBERED) this.verdicts.clear();
      this.verdicts.set(key, { result, expiresAt: exp * 1000 });
    }
    return result;
  }
}
