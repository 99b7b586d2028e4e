-- MOB_WIFI_DENSITY: see catalogue.toml for its definition, unit and standard.
with hotspots as (
    select u.area_code, w.installed_on, w.decommissioned_on
    from wifi_hotspots w
    join kecamatan_areas() u on u.kecamatan_code = w.kecamatan_code
), inventory as (
    select h.area_code, h.year, h.population, count(w.area_code) as hotspots
    from home_areas() h
    left join hotspots w
        on w.area_code = h.area_code
       and active_at(w.installed_on, w.decommissioned_on, make_date(h.year, 12, 31))
    group by h.area_code, h.year, h.population
), computed as (
    select area_code, year, 100000.0 * hotspots / population as value, hotspots::double as numerator,
           population::double as denominator, hotspots as n_obs, null::double as official_share,
           null::varchar as sources
    from inventory
)
select * from computed
union all
select s.*
from stat_per_capita('public_wifi_points', 100000) s
where not exists (select 1 from computed c where c.area_code = s.area_code and c.year = s.year)
