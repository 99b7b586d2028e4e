-- GOV_ONLINE_SERVICES: see catalogue.toml for its definition, unit and standard.
with years as (
    select h.area_code, h.year
    from home_areas() h
    where h.level = 'kota'
), services as (
    select y.area_code, y.year,
           coalesce(s.online_since <= make_date(y.year, 12, 31), false) as is_online
    from years y
    join egov_services s on s.launched_on <= make_date(y.year, 12, 31)
)
select area_code, year, 100.0 * count_if(is_online) / count(*) as value,
       count_if(is_online)::double as numerator, count(*)::double as denominator,
       count(*) as n_obs
from services
group by area_code, year
