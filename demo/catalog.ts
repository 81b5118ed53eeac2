// The demo world as plain data: three organizations, their projects, their chat tenants, and how each kind
// of project behaves. world.ts compiles it into samplers; story.ts tells what goes wrong in it.
import type { PlatformKind, Profile } from './vocabulary.ts';

export type ProjectSpec = {
  id: number;
  slug: string;
  kind: PlatformKind;
  profile: Profile;
  /** Relative share of the organization's traffic. */
  weight: number;
};

export type OrgSpec = {
  id: string;
  name: string;
  /** Fixed offset from UTC; the demo ignores daylight saving time. */
  utcOffsetHours: number;
  /** Relative share of all traffic. */
  weight: number;
  /** Distinct users `u-1`..`u-<users>`. */
  users: number;
  /** Where the backends run, with relative weights (the `region` tag). */
  regions: readonly (readonly [string, number])[];
  projects: readonly ProjectSpec[];
};

export const ORGS: readonly OrgSpec[] = [
  {
    id: 'acme',
    name: 'Acme Corp',
    utcOffsetHours: -5,
    weight: 0.45,
    users: 20_000,
    regions: [
      ['us-east-1', 6],
      ['us-west-2', 3],
      ['eu-west-1', 1],
    ],
    projects: [
      { id: 11, slug: 'checkout-api', kind: 'backend', profile: 'shop-api', weight: 0.35 },
      { id: 12, slug: 'web-frontend', kind: 'web', profile: 'storefront', weight: 0.3 },
      { id: 13, slug: 'ios-app', kind: 'ios', profile: 'mobile', weight: 0.22 },
      { id: 14, slug: 'payments-worker', kind: 'backend', profile: 'payments-worker', weight: 0.13 },
    ],
  },
  {
    id: 'globex',
    name: 'Globex Corporation',
    utcOffsetHours: 1,
    weight: 0.35,
    users: 12_000,
    regions: [
      ['eu-central-1', 7],
      ['eu-west-1', 3],
    ],
    projects: [
      { id: 21, slug: 'api-gateway', kind: 'backend', profile: 'gateway', weight: 0.4 },
      { id: 22, slug: 'android-app', kind: 'android', profile: 'mobile', weight: 0.35 },
      { id: 23, slug: 'web-frontend', kind: 'web', profile: 'storefront', weight: 0.25 },
    ],
  },
  {
    id: 'initech',
    name: 'Initech',
    utcOffsetHours: 9,
    weight: 0.2,
    users: 5000,
    regions: [
      ['ap-northeast-1', 8],
      ['ap-southeast-1', 2],
    ],
    projects: [
      { id: 31, slug: 'billing-api', kind: 'backend', profile: 'billing', weight: 0.5 },
      { id: 32, slug: 'dashboard-web', kind: 'web', profile: 'dashboard', weight: 0.3 },
      { id: 33, slug: 'ios-app', kind: 'ios', profile: 'mobile', weight: 0.2 },
    ],
  },
];

export type KindTraits = {
  /** Share of the project's events that are transactions; the rest are errors. */
  transactionShare: number;
  /** Share of events that carry a user. */
  userShare: number;
  /** Whether the project sends sessions (release health). */
  sessions: boolean;
  /** Share of sessions that crash on a normal day. */
  crashShare: number;
  /** How long a new release takes to replace the previous one. */
  rolloutHours: number;
  /** Share of users who stay on the previous release for good (app stores). */
  stragglerShare: number;
};

export const KIND_TRAITS: Readonly<Record<PlatformKind, KindTraits>> = {
  backend: {
    transactionShare: 0.7,
    userShare: 0.6,
    sessions: false,
    crashShare: 0,
    rolloutHours: 0.25,
    stragglerShare: 0,
  },
  web: {
    transactionShare: 0.62,
    userShare: 0.8,
    sessions: true,
    crashShare: 0.002,
    rolloutHours: 0.5,
    stragglerShare: 0,
  },
  ios: {
    transactionShare: 0.6,
    userShare: 1,
    sessions: true,
    crashShare: 0.003,
    rolloutHours: 36,
    stragglerShare: 0.06,
  },
  android: {
    transactionShare: 0.6,
    userShare: 1,
    sessions: true,
    crashShare: 0.004,
    rolloutHours: 48,
    stragglerShare: 0.1,
  },
};

/** Most traffic is production; the rest is staging. */
export const STAGING_SHARE = 0.1;

type DemoTenant = { discordGuildId: string; teamsTenantId: string };

/** Ids a newcomer can use: the demo Discord guild id and Teams tenant id per organization. */
export const DEMO_TENANTS: Readonly<Record<'acme' | 'globex' | 'initech', DemoTenant>> = {
  acme: { discordGuildId: '918273645501928374', teamsTenantId: '3f9c2a71-5d4e-4b8a-9e21-6c0d8f4a7b13' },
  globex: { discordGuildId: '1097365218843567104', teamsTenantId: '8b1e6d04-92c7-4f3a-a5d8-1e7b9c2f6043' },
  initech: { discordGuildId: '842761903857223680', teamsTenantId: 'c47a0e95-1b3d-4e86-8f2c-5a9d7e1b0c64' },
};
