-- GOV_RESOLVED_30D: see catalogue.toml for its definition, unit and standard.
-- Right-censored per extract: a ticket counts once its 30-day window ended before the cut-off
-- of the extract it came from (sla_tickets().as_of); later tickets are censored, not breached.
with eligible as (
    select t.area_code, t.year,
           coalesce(t.resolved_at <= t.created_at + interval 30 day, false) as on_time
    from sla_tickets() t
    where t.created_at + interval 30 day <= t.as_of
)
select area_code, year, 100.0 * count_if(on_time) / count(*) as value,
       count_if(on_time)::double as numerator, count(*)::double as denominator,
       count(*) as n_obs
from eligible
group by area_code, year
