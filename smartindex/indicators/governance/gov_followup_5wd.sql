-- GOV_FOLLOWUP_5WD: see catalogue.toml for its definition, unit and standard.
-- SP4N-LAPOR!: the agency's follow-up within 5 working days of dispatch.
-- Right-censored per extract (sla_tickets().as_of).
with eligible as (
    select t.area_code, t.year,
           coalesce(working_days_between(t.dispatched_at, t.first_response_at) <= 5, false)
               as on_time
    from sla_tickets() t
    where t.dispatched_at is not null
      and working_days_between(t.dispatched_at, t.as_of) > 5
)
select area_code, year, 100.0 * count_if(on_time) / count(*) as value,
       count_if(on_time)::double as numerator, count(*)::double as denominator,
       count(*) as n_obs
from eligible
group by area_code, year
