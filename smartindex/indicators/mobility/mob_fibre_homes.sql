-- MOB_FIBRE_HOMES: see catalogue.toml for its definition, unit and standard.
with segments as (
    select u.area_code, f.homes_passed, f.built_on
    from fiber_segments f
    join kecamatan_areas() u on u.kecamatan_code = f.kecamatan_code
), passed as (
    select h.area_code, h.year, h.households, coalesce(sum(s.homes_passed), 0) as homes,
           count(s.area_code) as segments
    from home_areas() h
    left join segments s on s.area_code = h.area_code and s.built_on <= make_date(h.year, 12, 31)
    where h.households > 0
    group by h.area_code, h.year, h.households
)
select area_code, year, 100.0 * least(homes, households) / households as value,
       least(homes, households)::double as numerator, households::double as denominator,
       segments as n_obs
from passed
