-- MOB_PT_BOARDINGS: see catalogue.toml for its definition, unit and standard.
with rides as (
    select r.year, sum(r.boardings) as boardings, count(distinct r.month) as months
    from transit_ridership r
    group by r.year
)
select h.area_code, h.year, rides.boardings / h.population as value,
       rides.boardings::double as numerator, h.population::double as denominator,
       12 as n_obs, rides.months as n_valid
from home_areas() h
join rides on rides.year = h.year
where h.level = 'kota'
