import { Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Inject } from '@nestjs/common';
import { API_STORE } from '../api.tokens';
import type { ApiContext } from '../graphql/api-context';
import type { ApiStore } from '../store/api-store';
import { userView } from './views';

/** `me` and `markOnboarded`. */
@Resolver()
export class MeResolver {
  constructor(@Inject(API_STORE) private readonly store: ApiStore) {}

  @Query('me')
  async me(@Context() ctx: ApiContext) {
    const viewer = await ctx.viewer();
    const user = await this.store.getUser(viewer.name);
    // With auth disabled the local user may not have a row yet: it is an admin that has not onboarded.
    // The role is the viewer's: with auth disabled every caller acts as an admin, even when the
    // ingest created the user's row as a member.
    return userView({ ...(user ?? { name: viewer.name, onboarded: false, lastSyncAt: null }), role: viewer.role });
  }

  @Mutation('markOnboarded')
  async markOnboarded(@Context() ctx: ApiContext) {
    const viewer = await ctx.viewer();
    // A missing row is created with the viewer's role: with auth disabled that is the local admin.
    return userView({ ...(await this.store.markOnboarded(viewer.name, viewer.role)), role: viewer.role });
  }
}
