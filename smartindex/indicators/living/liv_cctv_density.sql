-- LIV_CCTV_DENSITY: see catalogue.toml for its definition, unit and standard.
with cameras as (
    select u.unit, c.installed_on, c.decommissioned_on
    from cctv_cameras c
    join kecamatan_units() u on u.kecamatan_code = c.kecamatan_code
    where c.is_public
), inventory as (
    select h.unit, h.year, h.area_km2, count(c.unit) as cameras
    from home_units() h
    left join cameras c
        on c.unit = h.unit
       and active_at(c.installed_on, c.decommissioned_on, make_date(h.year, 12, 31))
    where h.area_km2 > 0
    group by h.unit, h.year, h.area_km2
)
select unit, year, cameras / area_km2 as value, cameras::double as numerator,
       area_km2 as denominator, cameras as n_obs
from inventory
