-- ENV_GOOD_AIR_DAYS: see catalogue.toml for its definition, unit and standard.
-- Same daily values and completeness rule as ENV_PM25.
select d.area_code, year(d.date) as year,
       100.0 * count_if(d.pm25 <= 55) / count(d.pm25) as value,
       count_if(d.pm25 <= 55)::double as numerator, count(d.pm25)::double as denominator,
       date_diff('day', make_date(year(d.date), 1, 1), make_date(year(d.date) + 1, 1, 1))
           as n_obs,
       count(d.pm25) as n_valid
from pm25_daily() d
join pm25_complete_years() c on c.area_code = d.area_code and c.year = year(d.date)
group by d.area_code, year(d.date)
