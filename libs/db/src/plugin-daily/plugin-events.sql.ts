/**
 * The plugin view of `usage_events` (`from` must expose them as alias `e`): skills, agents and commands with their
 * attribution. `curated` beats `flea`; a name in neither catalog is `builtin`.
 */
export function pluginEventsSql(from: string): string {
  return `
    select p.day, p.user_name, p.kind, p.name, coalesce(a.source, 'builtin') as source, a.ref_id
    from (
      select (e.ts at time zone 'UTC')::date as day, e.user_name,
        case when e.event_type = 'subagent' then 'agent' when e.event_type = 'slash_command' then 'command' else 'skill' end as kind,
        case when e.event_type = 'subagent' then e.subagent_type when e.event_type = 'slash_command' then e.command_name
          else e.skill_name end as name
      from ${from}
      where e.ts is not null and (
        (e.event_type = 'subagent' and e.subagent_type is not null)
        or (e.event_type = 'slash_command' and e.command_name is not null)
        or (e.event_type = 'tool_use' and e.skill_name is not null))
    ) p
    left join lateral (
      select source, ref_id from (
        select source, ref_id, name, 'skill' as kind from public.usage_attribution_skills
        union all select source, ref_id, name, 'agent' from public.usage_attribution_agents
        union all select source, ref_id, name, 'command' from public.usage_attribution_commands
      ) c where c.kind = p.kind and c.name = p.name
      order by (c.source = 'curated') desc limit 1
    ) a on true`;
}
