-- PEO_CIVIC_REPORTERS: see catalogue.toml for its definition, unit and standard.
-- Each reporter counts once, in their home kecamatan (reporter_homes()), so the kecamatan
-- numerators add up to the city's.
with reporters as (
    select u.area_code, h.year, count(*) as reporters
    from reporter_homes() h
    join kecamatan_areas() u on u.kecamatan_code = h.kecamatan_code
    group by u.area_code, h.year
), tickets as (
    select c.area_code, c.year, count(*) as tickets
    from complaint_records() c
    where c.reporter_id is not null
    group by c.area_code, c.year
)
select y.area_code, y.year, 1000.0 * coalesce(r.reporters, 0) / y.population as value,
       coalesce(r.reporters, 0)::double as numerator, y.population::double as denominator,
       coalesce(t.tickets, 0) as n_obs
from complaint_years() y
left join reporters r on r.area_code = y.area_code and r.year = y.year
left join tickets t on t.area_code = y.area_code and t.year = y.year
