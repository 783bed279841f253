import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import type { ApiContext } from '../graphql/api-context';
import { HomeStatsService } from './home-stats.service';

/** `homeStats(window)`: the caller's status frame, or null when gated off. */
@Resolver()
export class HomeStatsResolver {
  constructor(private readonly home: HomeStatsService) {}

  @Query('homeStats')
  async homeStats(@Context() ctx: ApiContext, @Args('window') window: unknown) {
    return this.home.forViewer(await ctx.viewer(), window ?? 'H24');
  }
}
