-- GOV_DISPATCH_6H: see catalogue.toml for its definition, unit and standard.
-- Right-censored per extract: a ticket counts once its 6-hour window ended before the cut-off
-- of the extract it came from (sla_tickets().as_of).
with eligible as (
    select t.area_code, t.year,
           coalesce(t.dispatched_at <= t.created_at + interval 6 hour, false) as on_time
    from sla_tickets() t
    where t.created_at + interval 6 hour <= t.as_of
)
select area_code, year, 100.0 * count_if(on_time) / count(*) as value,
       count_if(on_time)::double as numerator, count(*)::double as denominator,
       count(*) as n_obs
from eligible
group by area_code, year
