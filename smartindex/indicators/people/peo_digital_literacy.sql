-- PEO_DIGITAL_LITERACY: see catalogue.toml for its definition, unit and standard.
with answers as (
    select r.area_code, r.year, r.weight,
           list_avg([r.dl_skills_1, r.dl_skills_2, r.dl_ethics_1, r.dl_ethics_2,
                     r.dl_safety_1, r.dl_safety_2, r.dl_culture_1, r.dl_culture_2]) >= 4
               as agrees
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
