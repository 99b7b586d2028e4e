-- ENV_PM25: see catalogue.toml for its definition, unit and standard.
-- Daily values from pm25_daily() (reference first, corrected low-cost sensors otherwise); a
-- area_code-year is published only when pm25_complete_years() holds (>= 75 % of days in every
-- quarter). coverage = days with a valid value / days of the year.
select d.area_code, year(d.date) as year, avg(d.pm25) as value, null::double as numerator,
       null::double as denominator,
       date_diff('day', make_date(year(d.date), 1, 1), make_date(year(d.date) + 1, 1, 1))
           as n_obs,
       count(d.pm25) as n_valid
from pm25_daily() d
join pm25_complete_years() c on c.area_code = d.area_code and c.year = year(d.date)
group by d.area_code, year(d.date)
