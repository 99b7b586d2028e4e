-- MOB_4G_COVERAGE: see catalogue.toml for its definition, unit and standard.
with sites as (
    select b.lat, b.lon, b.on_air_on, coalesce(b.coverage_radius_km, 2.0) as radius_km
    from bts_sites b
    where b.technology in ('4G', '5G')
), covered as (
    select k.kecamatan_code, k.year, k.population,
           exists (
               select 1
               from sites s
               where s.on_air_on <= make_date(k.year, 12, 31)
                 and haversine_km(k.lat, k.lon, s.lat, s.lon) <= s.radius_km
           ) as is_covered
    from kelurahan_population() k
), totals as (
    select u.area_code, c.year,
           coalesce(sum(c.population) filter (where c.is_covered), 0) as covered_population,
           sum(c.population) as population, count(*) as kelurahan
    from covered c
    join kecamatan_areas() u on u.kecamatan_code = c.kecamatan_code
    group by u.area_code, c.year
)
select area_code, year, 100 * covered_population / population as value,
       covered_population as numerator, population as denominator, kelurahan as n_obs
from totals
where population > 0
