-- MOB_HH_INTERNET: see catalogue.toml for its definition, unit and standard.
with official as (
    select s.unit, s.year, s.value, s.official, s.source
    from stat('households_internet_pct') s
), answers as (
    select r.unit, r.year, r.weight, r.has_home_internet as agrees
    from respondents() r
), surveyed as (
    select unit, year,
           coalesce(sum(weight) filter (where agrees), 0) as numerator,
           sum(weight) filter (where agrees is not null) as denominator,
           count(*) as n_obs, count(agrees) as n_valid
    from answers
    group by unit, year
)
select o.unit, o.year, o.value, null::double as numerator, null::double as denominator,
       null::bigint as n_obs, null::bigint as n_valid, o.official as official_share,
       o.source as sources
from official o
union all
select s.unit, s.year, 100 * s.numerator / s.denominator as value, s.numerator, s.denominator,
       s.n_obs, s.n_valid, null::double as official_share, null::varchar as sources
from surveyed s
where s.denominator > 0
  and not exists (select 1 from official o where o.unit = s.unit and o.year = s.year)
