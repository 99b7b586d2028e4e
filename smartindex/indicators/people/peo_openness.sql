-- PEO_OPENNESS: see catalogue.toml for its definition, unit and standard.
with answers as (
    select r.unit, r.year, r.weight, r.openness >= 4 as agrees
    from respondents() r
), totals as (
    select unit, year,
           coalesce(sum(weight) filter (where agrees), 0) as numerator,
           sum(weight) filter (where agrees is not null) as denominator,
           count(*) as n_obs, count(agrees) as n_valid
    from answers
    group by unit, year
)
select unit, year, 100 * numerator / denominator as value, numerator, denominator, n_obs, n_valid
from totals
where denominator > 0
