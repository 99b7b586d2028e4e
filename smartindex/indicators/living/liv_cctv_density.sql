-- LIV_CCTV_DENSITY: see catalogue.toml for its definition, unit and standard.
with cameras as (
    select u.area_code, c.installed_on, c.decommissioned_on
    from cctv_cameras c
    join kecamatan_areas() u on u.kecamatan_code = c.kecamatan_code
    where c.is_public
), inventory as (
    select h.area_code, h.year, h.area_km2, count(c.area_code) as cameras
    from home_areas() h
    left join cameras c
        on c.area_code = h.area_code
       and active_at(c.installed_on, c.decommissioned_on, make_date(h.year, 12, 31))
    where h.area_km2 > 0
    group by h.area_code, h.year, h.area_km2
)
select area_code, year, cameras / area_km2 as value, cameras::double as numerator,
       area_km2 as denominator, cameras as n_obs
from inventory
