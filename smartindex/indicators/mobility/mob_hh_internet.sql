-- MOB_HH_INTERNET: see catalogue.toml for its definition, unit and standard.
with official as (
    select s.area_code, s.year, s.value, s.official, s.source
    from stat('households_internet_pct') s
), answers as (
    select r.area_code, r.year, r.weight, r.has_home_internet as agrees
    from respondents() r
), surveyed as (
    select area_code, year,
           coalesce(sum(weight) filter (where agrees), 0) as numerator,
           sum(weight) filter (where agrees is not null) as denominator,
           count(*) as n_obs, count(agrees) as n_valid
    from answers
    group by area_code, year
)
select o.area_code, o.year, o.value, null::double as numerator, null::double as denominator,
       null::bigint as n_obs, null::bigint as n_valid, o.official as official_share,
       o.source as sources
from official o
union all
select s.area_code, s.year, 100 * s.numerator / s.denominator as value, s.numerator, s.denominator,
       s.n_obs, s.n_valid, null::double as official_share, null::varchar as sources
from surveyed s
where s.denominator > 0
  and not exists (select 1 from official o where o.area_code = s.area_code and o.year = s.year)
