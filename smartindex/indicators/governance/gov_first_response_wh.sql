-- GOV_FIRST_RESPONSE_WH: see catalogue.toml for its definition, unit and standard.
with lags as (
    select t.area_code, t.year, working_hours_between(t.created_at, t.first_response_at) as hours
    from sla_tickets() t
)
select area_code, year, median(hours) as value, null::double as numerator,
       null::double as denominator, count(*) as n_obs, count(hours) as n_valid
from lags
group by area_code, year
having count(hours) > 0
