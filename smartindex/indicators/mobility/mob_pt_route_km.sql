-- MOB_PT_ROUTE_KM: see catalogue.toml for its definition, unit and standard.
with years as (
    select h.area_code, h.year, h.population
    from home_areas() h
    where h.level = 'kota'
), network as (
    select y.area_code, y.year, y.population, coalesce(sum(r.length_km), 0) as route_km,
           count(r.route_id) as routes
    from years y
    left join transit_routes r
        on active_at(r.opened_on, r.closed_on, make_date(y.year, 12, 31))
    group by y.area_code, y.year, y.population
)
select area_code, year, 100000 * route_km / population as value, route_km as numerator,
       population::double as denominator, routes as n_obs
from network
