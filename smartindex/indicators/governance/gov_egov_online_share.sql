-- GOV_EGOV_ONLINE_SHARE: see catalogue.toml for its definition, unit and standard.
with transactions as (
    select u.area_code, year(t.submitted_at) as year, t.is_online
    from egov_transactions t
    join kecamatan_areas() u on u.kecamatan_code = t.kecamatan_code
)
select area_code, year, 100.0 * count_if(is_online) / count(*) as value,
       count_if(is_online)::double as numerator, count(*)::double as denominator,
       count(*) as n_obs
from transactions
group by area_code, year
