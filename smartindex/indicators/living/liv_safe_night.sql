-- LIV_SAFE_NIGHT: see catalogue.toml for its definition, unit and standard.
with answers as (
    select r.area_code, r.year, r.weight, r.safe_night >= 4 as agrees
    from respondents() r
), totals as (
    select area_code, year,
           coalesce(sum(weight) filter (where agrees), 0) as numerator,
           sum(weight) filter (where agrees is not null) as denominator,
           count(*) as n_obs, count(agrees) as n_valid
    from answers
    group by area_code, year
)
select area_code, year, 100 * numerator / denominator as value, numerator, denominator, n_obs, n_valid
from totals
where denominator > 0
