-- MOB_FIBRE_HOMES: see catalogue.toml for its definition, unit and standard.
with segments as (
    select u.unit, f.homes_passed, f.built_on
    from fiber_segments f
    join kecamatan_units() u on u.kecamatan_code = f.kecamatan_code
), passed as (
    select h.unit, h.year, h.households, coalesce(sum(s.homes_passed), 0) as homes,
           count(s.unit) as segments
    from home_units() h
    left join segments s on s.unit = h.unit and s.built_on <= make_date(h.year, 12, 31)
    where h.households > 0
    group by h.unit, h.year, h.households
)
select unit, year, 100.0 * least(homes, households) / households as value,
       least(homes, households)::double as numerator, households::double as denominator,
       segments as n_obs
from passed
