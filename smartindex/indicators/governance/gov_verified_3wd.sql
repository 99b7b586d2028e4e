-- GOV_VERIFIED_3WD: see catalogue.toml for its definition, unit and standard.
-- SP4N-LAPOR!: verification AND forwarding to the agency within 3 working days of receipt.
-- Right-censored per extract (sla_tickets().as_of).
with eligible as (
    select t.area_code, t.year,
           coalesce(t.verified_at is not null
                    and working_days_between(t.created_at, t.dispatched_at) <= 3, false)
               as on_time
    from sla_tickets() t
    where working_days_between(t.created_at, t.as_of) > 3
)
select area_code, year, 100.0 * count_if(on_time) / count(*) as value,
       count_if(on_time)::double as numerator, count(*)::double as denominator,
       count(*) as n_obs
from eligible
group by area_code, year
