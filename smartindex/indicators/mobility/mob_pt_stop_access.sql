-- MOB_PT_STOP_ACCESS: see catalogue.toml for its definition, unit and standard.
with stops as (
    select s.lat, s.lon, s.opened_on, s.closed_on, r.opened_on as route_opened,
           r.closed_on as route_closed
    from transit_stops s
    join transit_routes r on r.route_id = s.route_id
), served as (
    select k.kecamatan_code, k.year, k.population,
           exists (
               select 1
               from stops s
               where active_at(s.opened_on, s.closed_on, make_date(k.year, 12, 31))
                 and active_at(s.route_opened, s.route_closed, make_date(k.year, 12, 31))
                 and haversine_km(k.lat, k.lon, s.lat, s.lon) <= 0.5
           ) as is_served
    from kelurahan_population() k
), totals as (
    select u.area_code, s.year,
           coalesce(sum(s.population) filter (where s.is_served), 0) as served_population,
           sum(s.population) as population, count(*) as kelurahan
    from served s
    join kecamatan_areas() u on u.kecamatan_code = s.kecamatan_code
    group by u.area_code, s.year
)
select area_code, year, 100 * served_population / population as value,
       served_population as numerator, population as denominator, kelurahan as n_obs
from totals
where population > 0
