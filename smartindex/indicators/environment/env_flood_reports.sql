-- ENV_FLOOD_REPORTS: see catalogue.toml for its definition, unit and standard.
with locations as (
    select c.area_code, c.year,
           count(distinct coalesce(round(c.lat, 3)::varchar || ',' || round(c.lon, 3)::varchar,
                                   c.kelurahan_code, c.kecamatan_code)) as locations,
           count(*) as tickets
    from complaint_records() c
    where c.category = 'banjir_drainase' and c.status not in ('rejected', 'duplicate')
    group by c.area_code, c.year
)
select y.area_code, y.year, 100000.0 * coalesce(l.locations, 0) / y.population as value,
       coalesce(l.locations, 0)::double as numerator, y.population::double as denominator,
       coalesce(l.tickets, 0) as n_obs
from complaint_years() y
left join locations l on l.area_code = y.area_code and l.year = y.year
